import Foundation
import Hummingbird
import LubanKit

// MARK: - Roll call on a phone: an expert's link (token + PIN) or an office account

/// Who is taking a session's roll call, and where its page lives.
struct RollCallAccess: Sendable {
    let session: Int64
    /// `/r/TOKEN` or `/sessions/ID`.
    let base: String
    /// The ledger's `recorded_by`: the account, or the link.
    let by: String
    /// The browser's cookie (for its last mark, which undo takes back).
    let cookie: String?
}

extension Web {
    func addRollCallRoutes(_ router: Router<WebContext>) {
        router.get("/r/:token") { request, context in
            let (link, token) = try await self.link(context)
            guard let link else { return self.closedLink(request, context) }
            guard let access = self.expert(request, link, token) else {
                let board = try await self.store.read { try $0.rollCallBoard(session: link.sessionID) }
                return self.page(
                    request, context, title: Phrase(zh: "点名 课次 \(link.sessionID)", en: "Roll call, session \(link.sessionID)"), "pin",
                    [
                        "facts": Self.facts(board), "action": "/r/\(token)/pin",
                        "pinWord": say(zh: "办公室给出的 6 位 PIN", en: "The 6-digit PIN from the office"),
                        "go": say(zh: "开始点名", en: "Start"),
                    ])
            }
            return try await self.board(request, context, access)
        }
        router.post("/r/:token/pin") { request, context in
            let (link, token) = try await self.link(context)
            guard let link else { return self.closedLink(request, context) }
            guard let form = try await self.form(request, context) else { return self.forbiddenForm(request, context) }
            // Wrong PINs are counted by device first: one phone that keeps guessing is stopped
            // without stopping the expert's. The link itself stops only after many more, from
            // many devices; the office then makes a new link (a new token and PIN), which lifts it.
            let device = "device \(context.device)"
            let linkKey = "link \(link.id)"
            if let wait = self.pins.wait(device) {
                return self.refusal(
                    request, context, Phrase(zh: "PIN 错误次数过多；请 \(wait) 秒后再试", en: "too many wrong PINs; try again in \(wait) s"),
                    status: .tooManyRequests)
            }
            if let wait = self.linkPins.wait(linkKey) {
                return self.refusal(
                    request, context,
                    Phrase(
                        zh: "此链接的 PIN 错误次数过多，已暂停 \(wait) 秒；请办公室生成新的点名链接",
                        en: "too many wrong PINs for this link: it is paused for \(wait) s; ask the office for a new roll-call link"),
                    status: .tooManyRequests)
            }
            guard let pin = form["pin"], sameText(pin, link.pin) else {
                self.pins.fail(device)
                self.linkPins.fail(linkKey)
                return self.refusal(
                    request, context, Phrase(zh: "PIN 不对；请核对办公室屏幕上的 6 位数字", en: "wrong PIN; check the 6 digits on the office's screen"),
                    status: .forbidden)
            }
            self.pins.succeed(device)
            let (cookie, csrf) = self.sessions.start(.rollCall(link: link.id))
            var response = Response.redirect(to: "/r/\(token)")
            response.setCookie(Cookies.make(Cookies.rollCall, cookie, secure: self.secureCookies))
            response.setCookie(Cookies.make(Cookies.csrf, csrf, secure: self.secureCookies))
            return response
        }
        for action in ["mark", "undo", "all"] {
            router.post("/r/:token/\(action)") { request, context in
                let (link, token) = try await self.link(context)
                guard let link else { return self.closedLink(request, context) }
                guard let access = self.expert(request, link, token) else { return self.notSignedIn(request, context) }
                return try await self.rollCallForm(action, request, context, access)
            }
        }
        router.get("/r/:token/all") { request, context in
            let (link, token) = try await self.link(context)
            guard let link else { return self.closedLink(request, context) }
            guard let access = self.expert(request, link, token) else { return .redirect(to: "/r/\(token)") }
            return try await self.confirmAll(request, context, access)
        }
    }

    /// The link in the path, if open and for today, with its token. Each tap checks its link:
    /// the answer is kept for two seconds (links opened or closed here clear it at once; a
    /// session moved or cancelled on the command line is seen within two seconds, and its marks
    /// are refused by the ledger's own checks meanwhile).
    private func link(_ context: WebContext) async throws -> (RollCallLink?, String) {
        let token = context.parameters.get("token") ?? ""
        guard token.utf8.count == 43 else { return (nil, token) }
        let now = ContinuousClock.now
        if let kept = links.withLock({ $0[token] }), now - kept.at < .seconds(2) { return (kept.link, token) }
        let today = CalendarDate.now()
        let link = try await store.read { try RollCallLink.find(token: token, today: today, $0) }
        links.withLock { all in
            if all.count > 1000 { all.removeAll() }
            all[token] = (link, now)
        }
        return (link, token)
    }

    private func expert(_ request: Request, _ link: RollCallLink, _ token: String) -> RollCallAccess? {
        let cookie = request.cookies[Cookies.rollCall]?.value
        guard sessions.holder(cookie)?.kind == .rollCall(link: link.id) else { return nil }
        return RollCallAccess(session: link.sessionID, base: "/r/\(token)", by: "web link \(link.id) (\(link.createdBy))", cookie: cookie)
    }

    private func closedLink(_ request: Request, _ context: WebContext) -> Response {
        refusal(
            request, context,
            Phrase(
                zh: "此点名链接无效：已关闭、不是今天的课次，或输入有误；请向办公室索取新的链接",
                en: "this roll-call link is not open: closed, not for today's session, or mistyped; ask the office for a new one"), status: .notFound)
    }

    func notSignedIn(_ request: Request, _ context: WebContext) -> Response {
        refusal(request, context, Phrase(zh: "请先输入 PIN 或登录", en: "enter the PIN or sign in first"), status: .unauthorized)
    }

    static func facts(_ board: RollCallBoard) -> String {
        let s = board.session
        let zh = Language.current == .zh
        let what = [s.title, s.course, s.site].first { !$0.isEmpty } ?? ""
        return "\(board.cohort.code) · \(s.date) · \(zh ? s.kind.chinese : s.kind.rawValue) \(Hours.format(s.hours)) h · \(what)"
    }

    // MARK: The board and its forms

    func board(_ request: Request, _ context: WebContext, _ access: RollCallAccess, flash: String? = nil, problem: String? = nil) async throws
        -> Response
    {
        let office = access.base.hasPrefix("/sessions/")
        let (board, link) = try await store.read { db in
            let board = try db.rollCallBoard(session: access.session)
            return (board, office && board.session.cancelledOn == nil ? try RollCallLink.current(session: access.session, db) : nil)
        }
        let zh = Language.current == .zh
        var controls: [String: Any] = [
            "newWord": say(zh: "为专家生成点名链接（扫码 + PIN）", en: "Make a roll-call link for the expert (QR + PIN)"),
            "closeWord": say(zh: "关闭链接", en: "Close the link"),
        ]
        if let link {
            controls["open"] = ["pin": link.pin, "since": Timestamp.local(link.createdAt), "openWord": say(zh: "链接已开启", en: "Link open,")]
        }
        let rows: [[String: Any]] = board.rows.map { row in
            [
                "code": row.code, "name": row.name, "status": row.status?.rawValue ?? "unmarked", "note": row.note,
                "shown": row.status.map { zh ? $0.chinese : $0.rawValue } ?? (say(zh: "未点", en: "not marked")),
            ]
        }
        return page(
            request, context, title: Phrase(zh: "点名 课次 \(access.session)", en: "Roll call, session \(access.session)"), "rollcall",
            [
                "facts": Self.facts(board), "base": access.base, "rows": rows, "marked": board.marked, "unmarked": board.unmarked,
                "total": say(zh: "共 \(board.rows.count) 人", en: "\(board.rows.count) in all"),
                "markedWord": say(zh: "已点", en: "Marked"), "unmarkedWord": say(zh: "未点", en: "Unmarked"),
                "allWord": say(zh: "未点者全部记为出勤…", en: "Mark all unmarked present…"), "undoWord": say(zh: "撤销上一次", en: "Undo last mark"),
                "noteWord": say(zh: "备注", en: "note"), "office": office ? controls : false,
                // A cancelled session takes no roll: its marks are shown, nothing more.
                "cancelled": board.session.cancelledOn.map { on in
                    say(
                        zh: "课次 \(access.session) 已于 \(on) 取消（\(board.session.cancelReason ?? "")）：不再点名；已有考勤只供查看，不计入任何数字",
                        en:
                            "session \(access.session) was cancelled on \(on) (\(board.session.cancelReason ?? "")): no roll is taken; its marks are shown for reference and count for nothing"
                    )
                } ?? false,
            ], flash: flash, problem: problem, script: true)
    }

    func confirmAll(_ request: Request, _ context: WebContext, _ access: RollCallAccess) async throws -> Response {
        let board = try await store.read { try $0.rollCallBoard(session: access.session) }
        return page(
            request, context, title: Phrase(zh: "确认", en: "Confirm"), "confirm",
            [
                "question": say(
                    zh: "把课次 \(access.session) 尚未点名的 \(board.unmarked) 人全部记为出勤？",
                    en: "Mark the \(board.unmarked) trainees not yet marked at session \(access.session) present?"),
                "action": "\(access.base)/all", "yes": say(zh: "全部记为出勤", en: "Mark them present"), "back": access.base,
                "no": say(zh: "返回", en: "Back"),
            ])
    }

    /// A mark, an undo or "all unmarked present", posted from the board.
    func rollCallForm(_ action: String, _ request: Request, _ context: WebContext, _ access: RollCallAccess) async throws -> Response {
        guard let form = try await form(request, context) else { return forbiddenForm(request, context) }
        let source = "web \(context.device)"
        let zh = Language.current == .zh
        switch action {
        case "mark":
            let pressed = (form["m"] ?? "").split(separator: " ").map(String.init)
            guard pressed.count == 2, let status = AttendanceStatus(rawValue: pressed[1]) else {
                return refusal(
                    request, context, Phrase(zh: "缺少学员或考勤状态；请点一个状态按钮", en: "no trainee or status; tap one of the status buttons"))
            }
            let mark = ScreenMark(
                session: access.session, trainee: pressed[0], status: status, note: form["note-\(pressed[0])"] ?? "", by: access.by, source: source)
            let recorded: RecordedMark
            switch try await store.mark(mark) {
            case .recorded(let r): recorded = r
            case .refused(let why): return refusal(request, context, why.phrase, status: Self.status(of: why))
            }
            if recorded.changed { sessions.setLastMark(access.cookie, (access.session, recorded.code, recorded.previous)) }
            if wantsJSON(request) {
                return json([
                    "trainee": .string(recorded.code), "status": .string(status.rawValue), "shown": .string(zh ? status.chinese : status.rawValue),
                    "marked": .int(recorded.marked), "unmarked": .int(recorded.total - recorded.marked),
                ])
            }
            return .redirect(to: "\(access.base)#\(recorded.code)")
        case "undo":
            guard let last = sessions.holder(access.cookie)?.lastMark, last.session == access.session else {
                return try await board(request, context, access, problem: say(zh: "没有可撤销的点名", en: "there is no mark to undo"))
            }
            // A first mark is taken back by an entry that returns the trainee to not marked.
            let mark = ScreenMark(
                session: access.session, trainee: last.trainee, status: last.previous, note: "", by: access.by, source: source + " undo")
            if case .refused(let why) = try await store.mark(mark) { return refusal(request, context, why.phrase, status: Self.status(of: why)) }
            sessions.setLastMark(access.cookie, nil)
            let now = last.previous.map { (zh: $0.chinese, en: $0.rawValue) } ?? (zh: "未点名", en: "not marked")
            return try await board(
                request, context, access,
                flash: say(zh: "已撤销：\(last.trainee) 恢复为\(now.zh)", en: "Undone: \(last.trainee) is \(now.en) again"))
        default:
            let board = try await store.read { try $0.rollCallBoard(session: access.session) }
            let marks = board.rows.filter { $0.status == nil }.map {
                ScreenMark(session: access.session, trainee: $0.code, status: .present, by: access.by, source: source + " all unmarked present")
            }
            let outcomes = try await store.write { try $0.recordMarks(marks) }
            let refused = outcomes.compactMap { if case .refused(let why) = $0 { why.phrase.text() } else { nil } }
            sessions.setLastMark(access.cookie, nil)
            return try await self.board(
                request, context, access,
                flash: say(zh: "已记为出勤：\(marks.count - refused.count) 人", en: "\(marks.count - refused.count) marked present"),
                problem: refused.isEmpty ? nil : refused.joined(separator: "; "))
        }
    }
}
