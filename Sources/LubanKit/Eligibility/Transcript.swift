import GRDB

// MARK: - A trainee's cumulative record

/// A trainee's record cohort by cohort, with certificates and progress toward each cumulative tier.
public struct TranscriptData: Sendable {
    public struct Line: Sendable {
        public var cohort: Cohort
        public var progress: CohortProgress
        public var certificates: [Certificate]
    }
    public var trainee: Trainee
    public var lines: [Line]
    public var cumulative: [TierVerdict]
    /// Each technique passed, per cohort: who assessed it and when (the verdict in force).
    public var passes: [(cohort: String, technique: String, expert: String, assessedOn: String)] = []
}

extension LubanDatabase {
    /// The record of `reference` over all their cohorts.
    public func transcript(_ reference: String) throws(LubanError) -> TranscriptData {
        let trainee = try trainee(reference)
        return try read { db in
            let cohorts = try Cohort.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT c.* FROM cohort c JOIN enrolment e ON e.cohort_id = c.id WHERE e.trainee_id = ? ORDER BY c.start_date, c.code
                        """), arguments: [trainee.id])
            var lines: [TranscriptData.Line] = []
            var lastCurriculum: Curriculum?
            for cohort in cohorts {
                let curriculum = try Self.curriculum(ofCohort: cohort.id!, db)
                lastCurriculum = curriculum
                let (_, progress) = try Self.cohortProgress(cohortID: cohort.id!, curriculum: curriculum, includingWithdrawn: true, db)
                let certs = try Certificate.fetchAll(
                    db, sql: "SELECT * FROM certificate WHERE trainee_id = ? AND cohort_id = ? ORDER BY id",
                    arguments: [trainee.id, cohort.id])
                lines.append(
                    .init(
                        cohort: cohort, progress: progress[trainee.id!] ?? CohortProgress(traineeID: trainee.id!, cohortID: cohort.id!),
                        certificates: certs))
            }
            var verdicts: [TierVerdict] = []
            if let curriculum = lastCurriculum {
                let c = try Self.cumulativeProgress(traineeID: trainee.id!, curriculum: curriculum, db)
                let titles = curriculum.tierTitles
                verdicts = curriculum.tiers.filter { $0.scope == .cumulative }.map { Eligibility.cumulativeTier($0, progress: c, tierTitles: titles) }
            }
            let passes = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.code, s.technique, s.expert, coalesce(s.assessed_on, substr(s.recorded_at, 1, 10)) FROM signoff s
                    JOIN cohort c ON c.id = s.cohort_id
                    WHERE s.trainee_id = ? AND s.result = 'pass' AND s.voided_on IS NULL
                      AND s.id = (SELECT max(id) FROM signoff l WHERE l.cohort_id = s.cohort_id AND l.trainee_id = s.trainee_id
                                  AND l.technique = s.technique AND l.voided_on IS NULL)
                    ORDER BY c.start_date, c.code, s.id
                    """, arguments: [trainee.id]
            ).map { (cohort: $0[0] as String, technique: $0[1] as String, expert: $0[2] as String, assessedOn: $0[3] as String) }
            return TranscriptData(trainee: trainee, lines: lines, cumulative: verdicts, passes: passes)
        }
    }
}

public enum TranscriptReport {
    public static func table(_ t: TranscriptData) -> Table {
        Table(
            columns: [
                .init("trainee", "学员"), .init("name", "姓名"), .init("cohort", "期 cohort"), .init("start_date", "开始"), .init("end_date", "结束"),
                .init("classroom_hours", "课堂 h"), .init("field_hours", "实地 h"), .init("demonstration_hours", "演示 h"),
                .init("attended_hours", "合计 h"), .init("techniques", "通过技艺 techniques"), .init("certificates", "证书 certificates"),
            ],
            rows: t.lines.map { l in
                [
                    .text(t.trainee.code), .text(t.trainee.name), .text(l.cohort.code), .text(l.cohort.startDate.description),
                    .text(l.cohort.endDate.description),
                    .hours(l.progress.hours(.classroom)), .hours(l.progress.hours(.field)), .hours(l.progress.hours(.demonstration)),
                    .hours(l.progress.attendedHours), .text(l.progress.techniquesPassed.joined(separator: "、")),
                    .text(
                        l.certificates.map { $0.number + ($0.status == .revoked ? Phrase(zh: "（已撤销）", en: " (revoked)").text() : "") }.joined(
                            separator: " ")),
                ]
            })
    }

    public static func text(_ t: TranscriptData, showID: Bool) -> String {
        var out = "学习档案 Transcript — \(t.trainee.label)\n"
        out += "身份证号 ID: \(t.trainee.idNumberShown(showID))"
        if let e = t.trainee.employer { out += "   单位 employer: \(Visible.text(e))" }
        if let c = t.trainee.craft { out += "   工种 craft: \(Visible.text(c))" }
        out += "\n\n"
        var table = table(t)
        table.columns.removeFirst(2)
        table.rows = table.rows.map { Array($0.dropFirst(2)) }
        out += table.text()
        let hours = t.lines.reduce(0) { $0 + $1.progress.attendedHours }
        let techniques = Set(t.lines.flatMap(\.progress.techniquesPassed))
        out +=
            "\n"
            + Phrase(
                zh: "\(t.lines.count) 个期次，出勤 \(Hours.format(hours)) 学时，通过 \(techniques.count) 项不同技艺",
                en: "\(t.lines.count) cohorts, \(Hours.format(hours)) h attended, \(techniques.count) distinct techniques passed"
            ).text() + "\n"
        if !t.passes.isEmpty {
            out +=
                "考核 assessed: "
                + t.passes.map { "\($0.cohort) \($0.technique) \(Visible.text($0.expert)) \($0.assessedOn)" }.joined(separator: "; ") + "\n"
        }
        for v in t.cumulative {
            out +=
                v.eligible
                ? "\(v.tier.title) \(v.tier.id): " + Phrase(zh: "已达到", en: "reached").text() + "\n"
                : "\(v.tier.title) \(v.tier.id): " + Phrase(zh: "尚缺：", en: "still missing: ").text() + Phrase.joined(v.missing).text() + "\n"
        }
        return out
    }
}

public enum RegisterReport {
    /// The certificate register: one row per certificate.
    public static func table(_ entries: [RegisterEntry], showID: Bool) -> Table {
        Table(
            columns: [
                .init("number", "编号 number"), .init("trainee", "学员"), .init("name", "姓名"), .init("id_number", "身份证号"),
                .init("tier", "等级 tier"), .init("cohort", "期 cohort"), .init("issued_on", "发证日期"), .init("status", "状态"),
                .init("revoked_on", "撤销日期"), .init("revoke_reason", "撤销原因"),
                .init("classroom_hours", "课堂 h"), .init("field_hours", "实地 h"), .init("demonstration_hours", "演示 h"),
                .init("techniques", "技艺"), .init("signature", "签名 signature"), .init("assessors", "考核专家 assessed by"),
            ],
            rows: entries.map { e in
                let c = e.certificate
                return [
                    .text(c.number), .text(e.trainee.code), .text(e.holderName), .text(e.holderID.map { showID ? $0 : Mask.idNumber($0) } ?? ""),
                    .word(c.tier, zh: e.tier?.title ?? c.tier),
                    .text(e.cohort.code), .text(c.issuedOn.description), .word(c.status.rawValue, zh: c.status == .valid ? "有效" : "已撤销"),
                    .text(c.revokedOn?.description ?? ""),
                    .text(c.revokeReason ?? ""), .hours(c.classroomHours), .hours(c.fieldHours), .hours(c.demonstrationHours),
                    .text(c.techniques), .text(c.signature),
                    .text(e.assessors.map { "\($0.technique)（\($0.expert)）" }.joined(separator: "、")),
                ]
            })
    }
}
