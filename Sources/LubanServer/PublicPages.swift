import Dispatch
import Foundation
import Hummingbird
import LubanKit
import NIOCore

// MARK: - Open to anyone: style, language, sign-in, and verification for employers

extension Web {
    func addPublicRoutes(_ router: Router<WebContext>) {
        router.get("/static/luban.css") { _, _ in Self.asset(WebTemplates.css, type: "text/css; charset=utf-8") }
        router.get("/static/luban.js") { _, _ in Self.asset(WebTemplates.script, type: "text/javascript; charset=utf-8") }
        // Browsers ask for it on every site; there is none.
        router.get("/favicon.ico") { _, _ in Response(status: .noContent) }
        router.get("/lang/:language") { request, context in Self.chooseLanguage(context.parameters.get("language"), request) }
        router.get("/login") { request, context in
            self.page(
                request, context, title: Phrase(zh: "办公室登录", en: "Office sign-in"), "login",
                [
                    "nameWord": say(zh: "账户", en: "Account"), "passwordWord": say(zh: "密码", en: "Password"),
                    "go": say(zh: "登录", en: "Sign in"), "to": Self.localPath(request.uri.queryParameters.get("to")),
                    "verifyWord": say(zh: "验证证书", en: "Verify a certificate"),
                ])
        }
        router.post("/login") { request, context in
            guard let form = try await self.form(request, context) else { return self.forbiddenForm(request, context) }
            let name = form["name"] ?? ""
            let keys = ["account \(name)", "device \(context.device)"]
            if let wait = keys.compactMap(self.logins.wait).max() {
                return self.refusal(
                    request, context, Phrase(zh: "登录失败次数过多；请 \(wait) 秒后再试", en: "too many failed sign-ins; try again in \(wait) s"),
                    status: .tooManyRequests)
            }
            let password = form["password"] ?? ""
            let account = try await self.store.read { try Accounts.credentials(name, $0) }
            // bcrypt takes a quarter of a second: off the database's threads and the event loops.
            let ok = try await Self.offTheLoop { Accounts.verify(password, hash: account?.hash) }
            guard ok, let account else {
                keys.forEach(self.logins.fail)
                return self.refusal(
                    request, context, Phrase(zh: "账户或密码不对", en: "wrong account or password"), status: .unauthorized)
            }
            keys.forEach(self.logins.succeed)
            // A new sign-in, with its own CSRF token (the one the sign-in form carried is not kept).
            let (cookie, csrf) = self.sessions.start(.office(name, key: account.signInKey))
            var response = Response.redirect(to: Self.localPath(request.uri.queryParameters.get("to")))
            response.setCookie(Cookies.make(Cookies.office, cookie, secure: self.secureCookies))
            response.setCookie(Cookies.make(Cookies.csrf, csrf, secure: self.secureCookies))
            return response
        }
        router.post("/logout") { request, context in
            guard try await self.form(request, context) != nil else { return self.forbiddenForm(request, context) }
            self.sessions.end(request.cookies[Cookies.office]?.value)
            var response = Response.redirect(to: "/login")
            response.setCookie(Cookies.make(Cookies.office, "", secure: self.secureCookies, maxAge: 0))
            return response
        }
        router.get("/verify") { request, context in self.verifyPage(request, context, text: "", name: "", report: nil) }
        router.post("/verify") { request, context in
            guard let form = try await self.form(request, context) else { return self.forbiddenForm(request, context) }
            // A printed certificate is under 4,000 characters: more is not one, and is not echoed.
            let text = form["text"] ?? ""
            guard text.utf8.count <= 8_000 || text.count <= 4_000 else {
                return self.refusal(
                    request, context,
                    Phrase(
                        zh: "粘贴的内容有 \(text.count) 个字符，证书最多约 4000 个；请只粘贴证书编号、证书全文或二维码文字",
                        en:
                            "what was pasted has \(text.count) characters, a certificate at most about 4,000; paste only a number, one certificate, or its QR code's text"
                    ), status: .contentTooLarge)
            }
            // As `luban certificate verify` does: the issuer's key pinned by the key file beside
            // the database (never the key the database records), the register for revocations.
            let verifier = CertificateVerifier(databasePath: self.store.databasePath, publicKey: nil)
            let pasted = text.contains("\n") ? text : text.trimmingCharacters(in: .whitespaces)
            let report = try await Self.offTheLoop { () throws(LubanError) in try verifier.check(pasted, readingFiles: false) }
            return self.verifyPage(request, context, text: text, name: form["name"] ?? "", report: report)
        }
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "max-age=3600"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The public check. A number alone, which anyone can guess (numbers run in sequence and the
    /// check character is public), says only whether such a certificate exists and its status;
    /// with the holder's name as the register has it (or with the document itself: its text or its
    /// QR code's), it shows what the issuer signed, to be compared with the page. The office's
    /// reason for a revocation is never shown here.
    func verifyPage(_ request: Request, _ context: WebContext, text: String, name: String, report: CertificateVerifier.Report?) -> Response {
        var values: [String: Any] = [
            "text": text, "name": name, "go": say(zh: "验证", en: "Verify"),
            "nameLabel": say(zh: "持证人姓名（只给编号时，填写后才显示证书内容）", en: "Holder's name (with a number alone, needed to see what the certificate says)"),
            "explain": say(
                zh: "粘贴证书编号（如 LB-2014-0001-2）、打印证书的全文，或扫描其二维码所得的文字。结果不显示身份证号。",
                en:
                    "Paste a certificate number (e.g. LB-2014-0001-2), the whole text of a printed certificate, or what its QR code holds. No ID number is ever shown."
            ),
        ]
        if let report {
            let verdict = report.verdict
            let named = report.holder.map { sameText($0, name.trimmingCharacters(in: .whitespaces)) } ?? false
            let shown = !report.byNumber || named
            let zh = Language.current == .zh
            let line: String
            switch verdict {
            case .valid(let n, _) where !shown:
                line =
                    zh
                    ? "VALID 有效 \(n)：该编号的证书存在且有效；填写持证人姓名可核对证书内容"
                    : "VALID \(n): a certificate with this number exists and is valid; give the holder's name to see what it says"
            case .revoked(let n, let on, _):
                let why = report.publicReason.map { zh ? "（\($0.rawValue)）" : " (\($0.english))" } ?? ""
                line = zh ? "REVOKED 已撤销 \(n)，撤销于 \(on)\(why)" : "REVOKED \(n) on \(on)\(why)"
            default:
                line = verdict.line
            }
            let kind =
                switch verdict {
                case .valid: "valid"
                case .revoked: "revoked"
                case .invalid: "invalid"
                }
            values["verdict"] = ["kind": kind, "line": line]
            if shown, case .valid = verdict, !report.signed.isEmpty {
                values["signed"] = [
                    "compare": say(
                        zh: "签发方签署的内容如下；证书纸面上的每一项须与之相同，否则纸面被改动过：",
                        en: "What the issuer signed follows; every item on the certificate's page must read the same, or the page was altered:"),
                    "lines": report.signed,
                ]
            }
        }
        return page(request, context, title: Phrase(zh: "验证证书", en: "Verify a certificate"), "verify", values)
    }
}
