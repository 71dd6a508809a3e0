import Foundation
import Testing

/// Issue 15.1: workbooks as a spreadsheet reads them (openpyxl, from PyPI, reads what Excel and
/// WPS read): ID numbers text, dates dates, numbers numbers; the header bold and frozen; the
/// roll-call sheet set for A4.
@Suite struct WorkbookTests {
    /// Runs a Python snippet on the workbook at `path`; returns what it prints.
    func inspect(_ path: String, _ script: String) throws -> String {
        try python3(["-c", "import openpyxl\nwb = openpyxl.load_workbook('\(path)')\n" + script])
    }

    @Test func listingsBecomeWorkbooksASpreadsheetReadsRight() throws {
        let user = try User()
        try user.demo()
        try user.ok("trainee", "list", "--format", "xlsx", "--show-id", "--out", "trainees.xlsx")
        let trainees = try inspect(
            user.folder.appendingPathComponent("trainees.xlsx").path,
            """
            ws = wb.active
            print(ws.freeze_panes, ws['A1'].font.b, ws['A1'].value)
            print(repr(ws['C2'].value), ws['C2'].data_type, ws['F2'].data_type)
            """)
        let id = try user.ok("trainee", "list", "--format", "csv", "--show-id").split(separator: "\r\n")[1].split(separator: ",")[2]
        #expect(trainees.contains("A2 True 学员 trainee"), "\(trainees)")
        #expect(trainees.contains("'\(id)' s s"), "an 18-digit ID number is a text cell, whole: \(trainees)")
        let mode =
            try FileManager.default.attributesOfItem(atPath: user.folder.appendingPathComponent("trainees.xlsx").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        try user.ok("rollcall", "2", "--format", "xlsx", "--out", "sheet.xlsx")
        let sheet = try inspect(
            user.folder.appendingPathComponent("sheet.xlsx").path,
            """
            ws = wb.active
            print(ws.page_setup.paperSize, ws.page_setup.orientation, ws.print_title_rows, ws.row_dimensions[2].height, ws.max_column)
            print(ws.print_options.gridLines, ws.oddHeader.left.text, ws.oddFooter.center.text)
            """)
        #expect(sheet.hasPrefix("9 portrait $1:$1 28.5 8"), "A4, portrait, the header on every page, rows to sign in: \(sheet)")
        #expect(sheet.contains("True 签到表 课次 2  2013-1 第一期  2013-09-10"), "boxes, and the session on every page: \(sheet)")
        #expect(sheet.contains("&P / &N"), "page numbers: \(sheet)")

        try user.ok("session", "list", "2013-1", "--format", "xlsx", "--out", "sessions.xlsx")
        let sessions = try inspect(
            user.folder.appendingPathComponent("sessions.xlsx").path,
            """
            ws = wb.active
            print(ws['B2'].is_date, ws['B2'].value.date(), ws['D2'].data_type, ws['D2'].value)
            """)
        #expect(sessions.hasPrefix("True 2013-09-09 n 8"), "\(sessions)")

        // On a terminal a workbook is refused; the export is one workbook with a sheet per table.
        let export = try user.ok("export", "out", "--format", "xlsx")
        #expect(export.contains("luban-export.xlsx [attendance_entry]"))
        let tables = try inspect(
            user.folder.appendingPathComponent("out/luban-export.xlsx").path, "print(len(wb.sheetnames), wb['trainee']['D2'].value)")
        #expect(tables.split(separator: " ").first.flatMap { Int($0) } ?? 0 >= 13)
        #expect(tables.contains("********"), "masked unless --show-id: \(tables)")
    }

    /// Issue 15.2: the workbook the office keeps is imported as it is, title row and all; what a
    /// spreadsheet has already lost (digits of an ID number typed as a number) is refused, named
    /// by its cell; and what luban cannot read (a second sheet with data, an old .xls) is said,
    /// never skipped.
    @Test func workbooksInAreReadAsTheOfficeKeepsThem() throws {
        let user = try User()
        try user.demo()
        try user.ok("cohort", "add", "2017-1", "--start", "2017-04-08", "--end", "2017-04-20", "--site", "承德", "--title", "第七期")
        let ids = (0..<3).map { validID("11010119900307\(200 + $0)") }
        let folder = user.folder.path
        let made = try python3([
            "-c",
            """
            import openpyxl, datetime
            wb = openpyxl.Workbook(); ws = wb.active; ws.title = '花名册'
            ws.append(['2017年第七期学员花名册']); ws.append([])
            ws.append(['姓名', '身份证号', '工作单位', '工种', '手机'])
            for i, (name, id) in enumerate([('李明', '\(ids[0])'), ('王芳', '\(ids[1])')]):
                ws.append([name, id, '承德文物修缮队, 二队', '木工', 13812345670 + i])
                ws.cell(row=ws.max_row, column=2).number_format = '@'
            wb.save('\(folder)/roster.xlsx')

            wb = openpyxl.Workbook(); ws = wb.active
            ws.append(['日期', '形式', '学时', '地点', '标题'])
            ws.append([datetime.datetime(2017, 4, 10), '实地教学', 4, '普宁寺', '大乘之阁'])
            ws['A2'].number_format = 'yyyy"年"m"月"d"日"'
            ws.append([datetime.datetime(2017, 4, 11), '课堂授课', 2.5, '协会', '彩画'])
            ws['A3'].number_format = 'mm-dd-yy'
            wb.save('\(folder)/schedule.xlsx')

            wb = openpyxl.Workbook(); ws = wb.active
            ws.append(['姓名', '身份证号']); ws.append(['李四', \(ids[2])])
            wb.save('\(folder)/numbers.xlsx')

            wb = openpyxl.Workbook(); ws = wb.active
            ws.append(['姓名', '身份证号']); ws.append(['李四', '\(ids[2])'])
            wb.create_sheet('第二页').append(['王五'])
            wb.save('\(folder)/two-sheets.xlsx')
            print('made')
            """,
        ])
        #expect(made.hasPrefix("made"), "\(made)")

        let roster = try user.ok("trainee", "import", "roster.xlsx", "--enroll", "2017-1")
        #expect(roster.contains("roster.xlsx: 2 added"), "\(roster)")
        let listed = try user.ok("trainee", "list", "--format", "csv", "--show-id")
        #expect(listed.contains(",李明,\(ids[0]),"), "a text cell holds the whole ID number: \(listed)")
        #expect(listed.contains("\"承德文物修缮队, 二队\""), "a comma inside a cell stays in the cell: \(listed)")
        #expect(listed.contains("13812345671"), "a phone typed as a number is its digits: \(listed)")

        let schedule = try user.ok("session", "import", "2017-1", "schedule.xlsx")
        #expect(schedule.contains("2"), "\(schedule)")
        let sessions = try user.ok("session", "list", "2017-1", "--format", "csv")
        #expect(sessions.contains("2017-04-10,field,4"), "a date cell in 年月日 format is that date: \(sessions)")
        #expect(sessions.contains("2017-04-11,classroom,2.5"), "\(sessions)")

        let before = try user.ok("trainee", "list", "--format", "csv")
        let numbers = try user.run(["trainee", "import", "numbers.xlsx"])
        #expect(numbers.status != 0)
        #expect(numbers.stderr.contains("numbers.xlsx:Sheet!2: error: cell B2 holds the number"), "file:sheet!row: \(numbers.stderr)")
        #expect(numbers.stderr.contains("Format the column as Text (文本)"), "\(numbers.stderr)")
        let sheets = try user.run(["trainee", "import", "two-sheets.xlsx"])
        #expect(sheets.status != 0)
        #expect(sheets.stderr.contains("more than one sheet ('Sheet', '第二页'); say which one to read; give --sheet NAME"), "\(sheets.stderr)")
        let missing = try user.run(["trainee", "import", "two-sheets.xlsx", "--sheet", "第三页"])
        #expect(missing.status != 0 && missing.stderr.contains("has no sheet '第三页'; its sheets are 'Sheet', '第二页'"), "\(missing.stderr)")
        let second = try user.run(["trainee", "import", "two-sheets.xlsx", "--sheet", "第二页"])
        #expect(second.stderr.contains("two-sheets.xlsx:第二页!1: error: the header lacks name, id_number"), "the named sheet is read: \(second.stderr)")
        _ = try user.write("roster.csv", "name,id_number\n李四,\(ids[2])\n")
        let csvSheet = try user.run(["trainee", "import", "roster.csv", "--sheet", "花名册"])
        #expect(
            csvSheet.status != 0 && csvSheet.stderr.contains("is not a workbook"), "a sheet of a CSV file is refused, not ignored: \(csvSheet.stderr)"
        )
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]).write(to: user.folder.appendingPathComponent("old.xls"))
        let old = try user.run(["trainee", "import", "old.xls"])
        #expect(old.status != 0)
        #expect(old.stderr.contains("old-style .xls/.et workbook"), "\(old.stderr)")
        // Zip bombs: a sheet of 300 MiB of spaces, declared (refused at its first MiB: no tag
        // or text is that long), hidden behind a directory that says 1,000 bytes (refused at
        // byte 1,001) and declared as 2 GiB (refused unread); a sheet whose one row says it is
        // row 2,000,000,000 (refused, not a file of two billion blank lines).
        let bombs = try python3([
            "-c",
            """
            import zipfile, struct
            for name, lie in (('bomb', None), ('liar', 1000), ('huge', 2 << 30)):
                path = '\(folder)/' + name + '.xlsx'
                z = zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED)
                z.writestr('xl/workbook.xml', '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="S"/></sheets></workbook>')
                with z.open('xl/worksheets/sheet1.xml', 'w') as f:
                    for i in range(300): f.write(b' ' * (1 << 20))
                z.close()
                if lie:
                    b = bytearray(open(path, 'rb').read())
                    for sig, off in ((b'PK\\x03\\x04', 22), (b'PK\\x01\\x02', 24)):
                        i = b.find(sig)
                        while i >= 0:
                            if struct.unpack_from('<I', b, i + off)[0] == 300 << 20: struct.pack_into('<I', b, i + off, lie)
                            i = b.find(sig, i + 4)
                    open(path, 'wb').write(b)
            book = '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="S"/></sheets></workbook>'
            lol = '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY l0 "lollollollol">'
            for i in range(1, 10): lol += '<!ENTITY l%d "%s">' % (i, ('&l%d;' % (i - 1)) * 10)
            lol += ']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&l9;</t></si></sst>'
            z = zipfile.ZipFile('\(folder)/laughs.xlsx', 'w'); z.writestr('xl/workbook.xml', book); z.writestr('xl/sharedStrings.xml', lol)
            z.writestr('xl/worksheets/sheet1.xml', '<worksheet><sheetData><row><c t="s"><v>0</v></c></row></sheetData></worksheet>'); z.close()
            xxe = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                   '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                   '<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c><c r="B1" t="inlineStr"><is><t>id_number</t></is></c></row>'
                   '<row r="2"><c r="A2" t="inlineStr"><is><t>&e;</t></is></c><c r="B2" t="inlineStr"><is><t>\(ids[2])</t></is></c></row>'
                   '</sheetData></worksheet>')
            z = zipfile.ZipFile('\(folder)/xxe.xlsx', 'w'); z.writestr('xl/workbook.xml', book); z.writestr('xl/worksheets/sheet1.xml', xxe); z.close()
            far = '<worksheet><sheetData><row r="2000000000"><c t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'
            z = zipfile.ZipFile('\(folder)/far.xlsx', 'w'); z.writestr('xl/workbook.xml', book); z.writestr('xl/worksheets/sheet1.xml', far); z.close()
            far = '<worksheet><sheetData><row r="2000000000"><c t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'
            z = zipfile.ZipFile('\(folder)/far.xlsx', 'w'); z.writestr('xl/workbook.xml', book); z.writestr('xl/worksheets/sheet1.xml', far); z.close()
            print('made')
            """,
        ])
        #expect(bombs.hasPrefix("made"), "\(bombs)")
        let laughs = try user.run(["trainee", "import", "laughs.xlsx"])
        #expect(
            laughs.status != 0 && laughs.stderr.contains("(xl/sharedStrings.xml) luban cannot read"), "entities are not expanded: \(laughs.stderr)")
        let xxe = try user.run(["trainee", "import", "xxe.xlsx"])
        #expect(xxe.status != 0 && !xxe.stderr.contains("root:") && !xxe.stdout.contains("root:"), "no file is read in: \(xxe.stderr)")
        let bomb = try user.run(["trainee", "import", "bomb.xlsx"])
        #expect(bomb.status != 0 && bomb.stderr.contains("longer than 1 MiB"), "\(bomb.stderr)")
        let huge = try user.run(["trainee", "import", "huge.xlsx"])
        #expect(huge.status != 0 && huge.stderr.contains("unpacks to more than 1024 MiB"), "\(huge.stderr)")
        let far = try user.run(["trainee", "import", "far.xlsx"])
        #expect(far.status != 0 && far.stderr.contains("is numbered '2000000000', and a row number is from 1 to 1048576"), "\(far.stderr)")
        let liar = try user.run(["trainee", "import", "liar.xlsx"])
        #expect(liar.status != 0 && liar.stderr.contains("more than its zip directory says"), "\(liar.stderr)")
        #expect(try user.ok("trainee", "list", "--format", "csv") == before, "nothing imported from a refused workbook")

        // A workbook luban wrote reads back unchanged.
        try user.ok("trainee", "list", "--show-id", "--format", "xlsx", "--out", "everyone.xlsx")
        #expect(try user.ok("trainee", "import", "everyone.xlsx").contains("0 added, 0 updated, 422 already known"))
        try user.ok("session", "list", "2013-1", "--format", "xlsx", "--out", "sessions.xlsx")
        #expect(try user.ok("session", "import", "2013-1", "sessions.xlsx").contains("0 sessions added, 10 already scheduled"))

        // The roll-call workbook, marked as on paper in a spreadsheet, is read back.
        try user.ok("rollcall", "6", "--format", "xlsx", "--out", "sheet-6.xlsx")
        let marked = try python3([
            "-c",
            """
            import openpyxl
            wb = openpyxl.load_workbook('\(folder)/sheet-6.xlsx'); ws = wb.active
            ws['F2'] = '×'; ws['F3'] = '迟'; ws['G3'] = '堵车'
            wb.save('\(folder)/sheet-6-marked.xlsx')
            print(ws['B2'].value, ws['B3'].value)
            """,
        ]).split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let read = try user.ok("attend", "--csv", "sheet-6-marked.xlsx")
        #expect(read.contains("2 recorded"), "\(read)")
        #expect(try user.ok("attendance", "history", "6", marked[0]).contains("absent"))
        let late = try user.ok("attendance", "history", "6", marked[1])
        #expect(late.contains("late") && late.contains("堵车"), "\(late)")
    }

    /// Workbooks made to hurt: nesting a megabyte of zip unpacks into, more shared strings
    /// than any roster has, rows and cells out of place. Each is refused with one message that
    /// names the cell or the part, in bounded memory, and nothing is imported.
    @Test func hostileWorkbooksAreRefusedNamingTheCell() throws {
        let user = try User()
        try user.demo()
        let folder = user.folder.path
        let made = try python3([
            "-c",
            """
            import zipfile
            def book(name, sheet, shared=None):
                z = zipfile.ZipFile('\(folder)/' + name + '.xlsx', 'w', zipfile.ZIP_DEFLATED)
                z.writestr('xl/workbook.xml', '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="S"/></sheets></workbook>')
                with z.open('xl/worksheets/sheet1.xml', 'w') as f:
                    for piece in sheet: f.write(piece.encode())
                if shared is not None:
                    with z.open('xl/sharedStrings.xml', 'w') as f:
                        for piece in shared: f.write(piece.encode())
                z.close()
            head = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            tail = '</sheetData></worksheet>'
            def row(n, cells): return '<row r="%s">%s</row>' % (n, ''.join('<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % c for c in cells))
            top = row(1, [('A1', 'name'), ('B1', 'id_number'), ('C1', 'employer')])
            ok = row(2, [('A2', '王建国'), ('B2', '\(validID("11010119900307851"))'), ('C2', '北京古建')])
            book('deep', [head] + ['<a>' * 100000] * 300 + [tail])
            book('strings', [head, top, tail], ['<sst>'] + ['<si/>' * 100000] * 21 + ['</sst>'])
            book('bigstrings', [head, top, tail], ['<sst>'] + ['<si><t>' + 'x' * 1000000 + '</t></si>'] * 20 + ['</sst>'])
            book('row0', [head, top, row(0, [('A0', '王建国'), ('B0', 'x')]), tail])
            book('row20', [head, top, row('12345678901234567890', [('A2', '王建国')]), tail])
            book('twice', [head, top, ok, ok, tail])
            book('before', [head, ok, top, tail])
            book('xfe', [head, top, row(2, [('A2', '王建国'), ('XFE2', 'x')]), tail])
            book('index', [head, top, '<row r="2"><c r="A2" t="s"><v>99</v></c></row>', tail], ['<sst><si><t>x</t></si></sst>'])
            book('number', [head, top, '<row r="2"><c r="A2"><v>42</v></c><c r="B2" t="inlineStr"><is><t>\(validID("11010119900307851"))</t></is></c></row>', tail])
            book('blank', [head, top, ok] + ['<row r="%d"><c r="B%d" s="5"/></row>' % (i, i) for i in range(3, 160)] + [tail])
            print('made')
            """,
        ])
        #expect(made.hasPrefix("made"), "\(made)")
        let before = try user.ok("trainee", "list", "--format", "csv")
        let cases: [(String, String)] = [
            ("deep", "elements nested more than 32 deep"),
            ("strings", "holds more than 2000000 shared strings or 16 MiB of them"),
            ("bigstrings", "holds more than 2000000 shared strings or 16 MiB of them"),
            ("row0", "S!2: error: the row after line 1 is numbered '0'"),
            ("row20", "S!2: error: the row after line 1 is numbered '12345678901234567890'"),
            ("twice", "S!2: error: row 2 comes after row 2"),
            ("before", "S!1: error: row 1 comes after row 2"),
            ("xfe", "S!2: error: cell 'XFE2' is not within a sheet's columns A to XFD"),
            ("index", "S!2: error: cell A2 points at shared string 99, and the workbook has 1"),
            ("number", "S!2: error: the name '42' has no letters"),
        ]
        for (name, message) in cases {
            // Run by Python, which reports the largest memory its child (luban) took.
            let out = try python3([
                "-c",
                """
                import resource, subprocess, sys
                r = subprocess.run(['\(User.binary.path)', 'trainee', 'import', '\(folder)/\(name).xlsx', '--db', '\(user.database)'],
                                   capture_output=True, text=True, env={'LUBAN_LANG': 'en', 'HOME': '\(folder)'})
                print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
                print(r.stderr)
                """,
            ])
            let first = out.split(separator: "\n").first?.split(separator: " ") ?? []
            let (status, kib) = (first.first.flatMap { Int($0) } ?? -1, first.last.flatMap { Int($0) } ?? .max)
            #expect(status == 1 && out.contains(message), "\(name): \(out.prefix(600))")
            #expect(!out.contains("Fatal") && !out.contains("Backtrace"))
            #expect(kib < 64 * 1024, "\(name): \(kib) KiB")
        }
        #expect(try user.ok("trainee", "list", "--format", "csv") == before, "nothing imported from a refused workbook")
        // Rows formatted but never typed in (Excel's and WPS's `<c r="B43" s="5"/>`) are blank rows.
        let blank = try user.run(["trainee", "import", "blank.xlsx"])
        #expect(blank.status == 0 && blank.stdout.contains("1 added"), "\(blank.stderr)")
    }

    /// A sheet of more than 10 MB of XML (Excel writes a sheet on one line): Foundation's
    /// XMLParser, which luban used before, refused it as not well-formed at line 1.
    @Test func aLargeWorkbookIsRead() throws {
        var user = try User()
        try user.ok("init")
        let folder = user.folder.path
        let made = try python3([
            "-c",
            """
            import zipfile, datetime
            def valid(d17):
                s = 0
                for c in d17: s = (s + int(c)) * 2 % 11
                k = (12 - s % 11) % 11
                return d17 + ('X' if k == 10 else str(k))
            cell = lambda ref, text: '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, text)
            rows = ['<row r="1">' + cell('A1', 'name') + cell('B1', 'id_number') + cell('C1', 'employer') + '</row>']
            for n in range(2, 40002):
                rows.append('<row r="%d">%s%s%s</row>' % (n, cell('A%d' % n, '学员%d' % n), cell('B%d' % n, valid('110101' + (datetime.date(1950, 1, 1) + datetime.timedelta(days=n % 18000)).strftime('%Y%m%d') + '%03d' % (n // 18000))),
                                                       cell('C%d' % n, '北京市园林古建工程有限公司第三工程处 &amp; 古建修缮二队')))
            sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                     '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + ''.join(rows) + '</sheetData></worksheet>')
            z = zipfile.ZipFile('\(folder)/big.xlsx', 'w', zipfile.ZIP_DEFLATED)
            z.writestr('xl/workbook.xml', '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="花名册"/></sheets></workbook>')
            z.writestr('xl/worksheets/sheet1.xml', sheet)
            z.close()
            print('made', len(sheet.encode()))
            """,
        ])
        #expect(
            made.hasPrefix("made") && (Int(made.split(separator: " ")[1].trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 10_000_000,
            "\(made)")
        // The sheet's CSV goes through an unnamed temporary file: with nowhere to put it the
        // import is refused with the fix and nothing is written; after an import none is left.
        user.environment["TMPDIR"] = user.folder.appendingPathComponent("no-such-folder").path
        let nowhere = try user.run(["trainee", "import", "big.xlsx"])
        #expect(nowhere.status != 0 && nowhere.stderr.contains("set TMPDIR to a folder with room"), "\(nowhere.stderr)")
        #expect(try user.ok("trainee", "list", "--format", "csv").split(separator: "\n").count == 1, "nothing imported")
        let temporary = user.folder.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        user.environment["TMPDIR"] = temporary.path
        #expect(try user.ok("trainee", "import", "big.xlsx").contains("big.xlsx: 40000 added"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty, "no temporary file left behind")
        let listed = try user.ok("trainee", "list", "--format", "csv")
        #expect(listed.contains(",学员40001,") && listed.contains("北京市园林古建工程有限公司第三工程处 & 古建修缮二队"), "\(listed.suffix(300))")
    }
}

extension WorkbookTests {
    /// A report for the union as a workbook: its title above the table, the definitions under
    /// it, the sheet named for it, printed landscape on A4 and one page wide.
    @Test func theYearlyReportWorkbookCarriesItsTitleAndDefinitions() throws {
        let user = try User()
        try user.demo()
        try user.ok("report", "yearly", "--format", "xlsx", "--out", "yearly.xlsx")
        let seen = try inspect(
            user.folder.appendingPathComponent("yearly.xlsx").path,
            """
            ws = wb.active
            print(ws.title)
            print(ws['A1'].value)
            print(ws['A3'].value, ws['A4'].value, ws['B4'].value)
            print(ws.page_setup.orientation, ws.page_setup.paperSize, ws.sheet_properties.pageSetUpPr.fitToPage, ws.page_setup.fitToHeight)
            print(ws.freeze_panes)
            print('\\n'.join(str(r[0].value) for r in ws.iter_rows(min_row=10) if r[0].value))
            """)
        let lines = seen.split(separator: "\n").map(String.init)
        #expect(lines.count > 8, "\(seen)")
        #expect(lines[0] == "年度统计")
        #expect(lines[1].hasPrefix("年度统计 Yearly totals — 鲁班工程"))
        #expect(lines[2] == "年度 year 2013 1")
        #expect(lines[3] == "landscape 9 True 0")
        #expect(lines[4] == "A4")
        #expect(seen.contains("- person_times (人次): enrolments (trainee x cohort) in cohorts starting in Y in which the"))
    }
}
