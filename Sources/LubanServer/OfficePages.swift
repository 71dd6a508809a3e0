import Foundation
import Hummingbird
import LubanKit

// MARK: - The office's pages (signed in): cohorts, sessions, the grid, eligibility, certify,
// the register, yearly totals, trainees

extension Web {
    func addOfficeRoutes(_ office: RouterGroup<WebContext>) {
        office.get("/") { request, context in
            let table = try await self.store.read { db in Views.cohorts(try db.cohorts(), counts: try db.cohortCounts()) }
            return try await self.listing(
                request, context, title: Phrase(zh: "期次", en: "Cohorts"), table, file: "cohorts.csv",
                link: { key, cell, _ in key == "code" ? "/cohorts/\(cell.plain)" : nil })
        }
        office.get("/cohorts/:code") { request, context in
            let code = try context.parameters.require("code")
            let table = try await self.store.read { db in Views.sessions(try db.sessions(cohort: code)) }
            return try await self.listing(
                request, context, title: Phrase(zh: "期次 \(code) 的课次", en: "Sessions of cohort \(code)"), table, file: "sessions-\(code).csv",
                links: [
                    ("/cohorts/\(code)/grid", say(zh: "考勤总表", en: "Attendance grid")),
                    ("/cohorts/\(code)/eligibility", say(zh: "资格", en: "Eligibility")),
                    ("/cohorts/\(code)/certify", say(zh: "发证（预览）", en: "Certify (preview)")),
                    ("/cohorts/\(code)/register", say(zh: "证书登记", en: "Register")),
                ],
                link: { key, cell, _ in key == "session" ? "/sessions/\(cell.plain)" : nil })
        }
        office.get("/cohorts/:code/grid") { request, context in
            let code = try context.parameters.require("code")
            let grid = try await self.store.read { try $0.attendanceGrid(cohort: code) }
            // The statuses coloured: after the trainee's code and name come the sessions; the last row is the totals.
            return try await self.listing(
                request, context, title: Phrase(zh: "期次 \(code) 考勤总表", en: "Attendance grid of cohort \(code)"), Views.grid(grid, short: true),
                file: "grid-\(code).csv",
                // Each trainee's row links to the trainee; the totals row links nowhere.
                link: { key, cell, _ in key == "trainee" && cell.plain.hasPrefix("T") ? "/trainees/\(cell.plain)" : nil },
                style: { row, column in
                    row < grid.rows.count && column >= 2 && column - 2 < grid.sessions.count ? grid.rows[row].statuses[column - 2]?.rawValue : nil
                })
        }
        office.get("/cohorts/:code/eligibility") { request, context in
            let code = try context.parameters.require("code")
            let lines = try await self.store.read { try $0.eligibility(cohort: code) }
            return try await self.listing(
                request, context, title: Phrase(zh: "期次 \(code) 发证资格", en: "Eligibility in cohort \(code)"), EligibilityReport.table(lines),
                file: "eligibility-\(code).csv", link: { key, cell, _ in key == "trainee" ? "/trainees/\(cell.plain)" : nil })
        }
        office.get("/cohorts/:code/certify") { request, context in
            let code = try context.parameters.require("code")
            let path = self.store.databasePath
            let table = try await self.store.read { db in
                let key = try IssuerKey.load(at: IssuerKey.path(forDatabase: path))
                return CertifyReport.table(try db.certify(cohort: code, on: CalendarDate.now(), key: key, dryRun: true), db)
            }
            return try await self.listing(
                request, context, title: Phrase(zh: "期次 \(code) 发证预览", en: "Certify cohort \(code): preview"), table, file: nil,
                intro: say(
                    zh: "预览：尚未签发。签发日期为今天 \(CalendarDate.now())。",
                    en: "A preview: nothing is issued yet. The issue date is today, \(CalendarDate.now())."),
                forms: [("/cohorts/\(code)/certify", say(zh: "签发以上证书", en: "Issue these certificates"), "primary")])
        }
        office.post("/cohorts/:code/certify") { request, context in
            guard try await self.form(request, context) != nil else { return self.forbiddenForm(request, context) }
            let code = try context.parameters.require("code")
            let path = self.store.databasePath
            let account = context.account ?? "web"
            // Issued as `luban certify` issues them (the register shows the result), logged as the account's.
            _ = try await self.store.write { db in
                var db = db
                db.user = "web \(account)"
                let key = try IssuerKey.load(at: IssuerKey.path(forDatabase: path))
                return try db.certify(cohort: code, on: CalendarDate.now(), key: key)
            }
            return .redirect(to: "/cohorts/\(code)/register")
        }
        office.get("/cohorts/:code/register") { request, context in
            let code = try context.parameters.require("code")
            let register = try await self.store.read { RegisterReport.table(try $0.register(cohort: code), showID: false) }
            var table = register
            // The print links beside the number, where the eye starts (the register is wide).
            let number = table.columns.firstIndex { $0.key == "number" } ?? 0
            table.columns.insert(contentsOf: [.init("print_text", "打印 text"), .init("print_pdf", "打印 PDF")], at: number + 1)
            for i in table.rows.indices { table.rows[i].insert(contentsOf: [.text(".txt"), .text(".pdf")], at: number + 1) }
            return try await self.listing(
                request, context, title: Phrase(zh: "期次 \(code) 证书登记", en: "Register of cohort \(code)"), table, file: "register-\(code).csv",
                saved: register,
                link: { key, cell, row in
                    switch key {
                    case "print_text", "print_pdf": "/certificates/\(row[number].plain)\(cell.plain)"
                    case "trainee": "/trainees/\(cell.plain)"
                    default: nil
                    }
                })
        }
        office.get("/certificates/:file") { request, context in
            let file = try context.parameters.require("file")
            let pdf = file.hasSuffix(".pdf")
            let number = String(file.dropLast(4))
            guard pdf || file.hasSuffix(".txt"), case .success = CertificateNumber.parse(number) else { throw HTTPError(.notFound) }
            let path = self.store.databasePath
            let bytes = try await self.store.read { db -> [UInt8] in
                let key = try IssuerKey.load(at: IssuerKey.path(forDatabase: path))
                let entries = try db.register(numbers: [number])
                if pdf {
                    let folder = NSTemporaryDirectory() + "luban-web-\(randomToken())"
                    defer { try? FileManager.default.removeItem(atPath: folder) }
                    let paths = try db.printedPDFs(entries, language: .both, templates: .locate(), key: key, folder: folder)
                    return try InputFile.bytes(paths[0])
                }
                return Array(try db.printed(entries, language: .both, showID: false, templates: .locate(), key: key)[0].text.utf8)
            }
            return Response(
                status: .ok,
                headers: [
                    .contentType: pdf ? "application/pdf" : "text/plain; charset=utf-8", .contentDisposition: "inline; filename=\"\(file)\"",
                ], body: .init(byteBuffer: .init(bytes: bytes)))
        }
        office.get("/totals") { request, context in
            let rows = try await self.store.read { try YearlyTotals.rows($0) }
            return try await self.listing(
                request, context, title: Phrase(zh: "年度统计", en: "Yearly totals"), YearlyTotals.table(rows), file: "yearly-totals.csv",
                after: BarChart.yearly(rows))
        }
        office.get("/trainees") { request, context in
            try await self.listing(
                request, context, title: Phrase(zh: "学员", en: "Trainees"), Table(columns: []), file: nil,
                intro: say(
                    zh: "按姓名、编号或身份证号末几位查找（查找词不进入网址）。",
                    en: "Find by name, code or the last digits of the ID number (what you type stays out of the address)."),
                forms: [("/trainees", say(zh: "查找", en: "Find"), "primary")], field: "q")
        }
        office.post("/trainees") { request, context in
            guard let form = try await self.form(request, context) else { return self.forbiddenForm(request, context) }
            let query = form["q"] ?? ""
            let table = try await self.store.read { Views.trainees(try $0.findTrainees(query), showID: false) }
            return try await self.listing(
                request, context, title: Phrase(zh: "学员", en: "Trainees"), table, file: nil,
                forms: [("/trainees", say(zh: "查找", en: "Find"), "primary")], field: "q", value: query,
                link: { key, cell, _ in key == "trainee" ? "/trainees/\(cell.plain)" : nil })
        }
        office.get("/trainees/:code") { request, context in
            let code = try context.parameters.require("code")
            guard Bytes.traineeCode(Array(code.utf8)) != nil else { throw LubanError.unknownTrainee(code) }
            let transcript = try await self.store.read { try $0.transcript(code) }
            return try await self.listing(
                request, context,
                title: Phrase(zh: "\(code) \(transcript.trainee.name) 的学习记录", en: "Transcript of \(code) \(transcript.trainee.name)"),
                TranscriptReport.table(transcript), file: "transcript-\(code).csv")
        }
        addOfficeRollCallRoutes(office)
    }

    private func addOfficeRollCallRoutes(_ office: RouterGroup<WebContext>) {
        office.get("/sessions/:id") { request, context in
            let access = try self.officeAccess(request, context)
            return try await self.board(request, context, access)
        }
        office.get("/sessions/:id/all") { request, context in
            try await self.confirmAll(request, context, try self.officeAccess(request, context))
        }
        for action in ["mark", "undo", "all"] {
            office.post("/sessions/:id/\(action)") { request, context in
                try await self.rollCallForm(action, request, context, try self.officeAccess(request, context))
            }
        }
        office.post("/sessions/:id/link") { request, context in
            guard try await self.form(request, context) != nil else { return self.forbiddenForm(request, context) }
            let access = try self.officeAccess(request, context)
            let account = context.account ?? "web"
            let (link, token) = try await self.store.write { try RollCallLink.open(session: access.session, by: account, $0) }
            self.links.withLock { $0.removeAll() }
            let (host, warning) = self.linkHost(request.head.authority ?? "localhost")
            let url = "http://\(host)/r/\(token)"
            return self.page(
                request, context, title: Phrase(zh: "课次 \(access.session) 的点名链接", en: "Roll-call link for session \(access.session)"), "link",
                [
                    "explain": say(
                        zh: "请专家用手机扫码（或打开下面的网址），再输入 PIN。链接只在课次当天有效，只能为这一课次点名；新链接会关闭旧链接。",
                        en:
                            "Let the expert scan this with a phone (or open the address below), then enter the PIN. The link works on the session's date only, for this session only; a new link closes the old one."
                    ),
                    "qr": try QRCode(url).svg(size: 240), "pin": link.pin, "url": url, "back": access.base,
                    "backWord": say(zh: "返回点名页", en: "Back to the roll call"),
                ], problem: warning)
        }
        office.post("/sessions/:id/link/close") { request, context in
            guard try await self.form(request, context) != nil else { return self.forbiddenForm(request, context) }
            let access = try self.officeAccess(request, context)
            try await self.store.write { try RollCallLink.close(session: access.session, $0) }
            self.links.withLock { $0.removeAll() }
            return .redirect(to: access.base)
        }
    }

    /// The host a phone should open: the one this page was opened at, unless that is this
    /// computer's own loopback address, which a phone cannot reach; then this computer's address
    /// on the network (bound to every address), or a warning (bound to this computer only).
    func linkHost(_ authority: String) -> (host: String, warning: String?) {
        let port = authority.split(separator: ":").count == 2 ? ":" + authority.split(separator: ":")[1] : ""
        let name = authority.split(separator: ":").first.map(String.init) ?? authority
        guard ["127.0.0.1", "localhost", "[", "::1"].contains(where: { name.hasPrefix($0) }) else { return (authority, nil) }
        if bind == "0.0.0.0" || bind == "::", let address = WebServer.localAddresses().first(where: { $0 != "127.0.0.1" }) {
            return (address + port, nil)
        }
        return (
            authority,
            say(
                zh: "服务器只在本机监听，手机无法打开此链接；请用 luban serve --bind 0.0.0.0 启动，并让手机连上同一网络（如热点）",
                en:
                    "the server listens on this computer only, so a phone cannot open this link; start it with luban serve --bind 0.0.0.0 and join the phone to the same network (a hotspot)"
            )
        )
    }

    private func officeAccess(_ request: Request, _ context: WebContext) throws -> RollCallAccess {
        let text = try context.parameters.require("id")
        guard let id = Int64(text), id > 0 else { throw LubanError.unknownSession(text) }
        return RollCallAccess(
            session: id, base: "/sessions/\(id)", by: "web \(context.account ?? "?")", cookie: request.cookies[Cookies.office]?.value)
    }

    // MARK: A listing as a page, or as its CSV

    /// `table` as a page (cells linked by `link`, styled by `style`), or `saved` (what a file
    /// holds, when the page shows more: print links) as CSV with `?format=csv` or as an Excel
    /// workbook with `?format=xlsx`.
    func listing(
        _ request: Request, _ context: WebContext, title: Phrase, _ table: Table, file: String?, saved: Table? = nil, intro: String? = nil,
        links: [(String, String)] = [], forms: [(String, String, String)] = [], field: String? = nil, value: String = "",
        after: String = "", link: (String, Cell, [Cell]) -> String? = { _, _, _ in nil },
        style: (Int, Int) -> String? = { _, _ in nil }
    ) async throws -> Response {
        let saved = saved ?? table
        if let file, request.uri.queryParameters.get("format") == "csv" {
            return download(Array(saved.csv(excel: true).utf8), name: file)
        }
        if let file, request.uri.queryParameters.get("format") == "xlsx" {
            let name = String(file.dropLast(4)) + ".xlsx"
            let sheet = Workbook.sheetName(title.text())
            let bytes = try await Self.offTheLoop { () throws(LubanError) in try Workbook.bytes([(sheet, saved, Workbook.Layout())]) }
            return download(Array(bytes), name: name, type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        }
        var items = links.map { ["href": $0.0, "label": $0.1] }
        if file != nil {
            items.append(["href": request.uri.path + "?format=csv", "label": "CSV"])
            items.append(["href": request.uri.path + "?format=xlsx", "label": say(zh: "Excel 工作簿", en: "Excel workbook")])
        }
        let rows: [[String: Any]] = table.rows.enumerated().map { r, row in
            [
                "cells": zip(table.columns, row).enumerated().map { c, pair -> [String: Any] in
                    let (column, cell) = pair
                    var values: [String: Any] = ["text": cell.shown, "style": style(r, c) ?? Self.style(cell)]
                    if let href = link(column.key, cell, row), !cell.plain.isEmpty { values["href"] = href }
                    return values
                }
            ]
        }
        var values: [String: Any] = [
            "headings": table.columns.map(\.heading), "rows": rows, "after": after,
            "empty": table.columns.isEmpty ? "" : (say(zh: "（无）", en: "(none)")),
            "forms": forms.map { action, label, style -> [String: Any] in
                var form: [String: Any] = ["action": action, "label": label, "style": style]
                if let field { form["field"] = ["name": field, "value": value, "placeholder": "王建国 / T00042 / 8515"] }
                return form
            },
        ]
        if !items.isEmpty { values["links"] = ["items": items] }
        if let intro { values["intro"] = intro }
        return page(request, context, title: title, "table", values)
    }

    static func style(_ cell: Cell) -> String {
        switch cell {
        case .int, .hours: return "num"
        case .word(let code, _): return code
        default: return ""
        }
    }
}
