// MARK: - Listing trainees

extension Views {
    public static func trainees(_ list: [Trainee], showID: Bool) -> Table {
        Table(
            columns: [
                .init("trainee", "学员 trainee"), .init("name", "姓名 name"), .init("id_number", "身份证号 ID number"),
                .init("employer", "单位 employer"), .init("craft", "工种 craft"), .init("phone", "电话 phone"),
            ],
            rows: list.map { t in
                [
                    .text(t.code), .text(t.name), .text(t.idNumberShown(showID)), .text(t.employer ?? ""), .text(t.craft ?? ""),
                    .text(t.phoneShown(showID)),
                ]
            })
    }
}
