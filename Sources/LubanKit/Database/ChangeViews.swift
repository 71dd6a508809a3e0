// MARK: - The change log

extension Views {
    public static func changes(_ rows: [(id: Int64, at: String, user: String, action: String, detail: String)]) -> Table {
        Table(
            columns: [
                .init("id", "编号 id"), .init("at", "时间 at"), .init("user", "用户 user"), .init("action", "操作 action"), .init("detail", "内容 detail"),
            ],
            rows: rows.map { [.int(Int($0.id)), .text(Timestamp.local($0.at)), .text($0.user), .text($0.action), .text($0.detail)] })
    }
}
