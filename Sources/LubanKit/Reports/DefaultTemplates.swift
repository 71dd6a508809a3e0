// MARK: - Templates built into the binary

/// The templates of `Reports/templates`, built in so that an installed `luban` works anywhere.
/// A test checks that they are identical to the files.
enum DefaultTemplates {
    static let all: [String: String] = [
        "certificate-zh": #"""
        ~{{organisations}}
        ~{{tier_title}}
        ---
        兹证明 {{name}}（身份证号 {{id_number}}）
        参加「{{program}}」
        {{cohort_title}}（{{cohort_code}}，{{start}} 至 {{end}}，{{site}}）学习。
        {{#cumulative}}
        累计参加 {{cohort_count}} 期培训，
        {{/cumulative}}
        完成学时：课堂授课 {{classroom_hours}} 学时，实地教学 {{field_hours}} 学时，
                  专家演示 {{demonstration_hours}} 学时，合计 {{total_hours}} 学时；
        通过专家实操考核的技艺：{{techniques}}。
        {{#cumulative}}
        经考核，具备传承古建室内非物质文化遗产技艺的能力，
        {{/cumulative}}
        特发此证。
        ---
        证书编号：{{number}}
        发证日期：{{issued_on}}
        发证单位：{{issuer}}
        """# + "\n",
        "certificate-en": #"""
        ~{{organisations_en}}
        ~{{tier_title_en}}
        ---
        This certifies that {{name}} (ID {{id_number}})
        took part in {{program_en}},
        cohort {{cohort_code}} {{cohort_title}}, {{start}} to {{end}}, at {{site}}.
        {{#cumulative}}
        Cohorts attended in all: {{cohort_count}}.
        {{/cumulative}}
        Hours attended: classroom {{classroom_hours}}, field {{field_hours}},
        demonstration {{demonstration_hours}}; {{total_hours}} in all.
        Techniques passed under an expert's sign-off: {{techniques}}.
        ---
        Number: {{number}}
        Issued on: {{issued_on}}
        Issued by: {{issuer}}
        """# + "\n",
        "certificate-both": #"""
        ~{{organisations}}
        ~{{tier_title}}
        ~{{tier_title_en}}
        ---
        兹证明 {{name}}（身份证号 {{id_number}}）
        参加「{{program}}」
        {{cohort_title}}（{{cohort_code}}，{{start}} 至 {{end}}，{{site}}）学习。
        This certifies that {{name}} took part in cohort {{cohort_code}}
        of the programme above, {{start}} to {{end}}, at {{site}}.
        {{#cumulative}}
        累计参加 {{cohort_count}} 期培训 / Cohorts attended in all: {{cohort_count}}
        {{/cumulative}}
        完成学时 Hours: 课堂授课 classroom {{classroom_hours}}，实地教学 field {{field_hours}}，
                        专家演示 demonstration {{demonstration_hours}}，合计 total {{total_hours}}
        通过实操考核的技艺 Techniques passed: {{techniques}}
        特发此证。
        ---
        证书编号 Number：{{number}}
        发证日期 Issued on：{{issued_on}}
        发证单位 Issued by：{{issuer}}
        """# + "\n",
    ]
}
