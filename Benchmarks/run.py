#!/usr/bin/env python3
"""Luban at federation scale, measured against the sqlite3 command-line tool in the same run.

    python3 Benchmarks/run.py                 # 200,000 trainees, 4,000 cohorts, 100,000 sessions, 5,000,000 marks
    python3 Benchmarks/run.py --scale 0.1     # a tenth of that, for a quick look

Builds luban in release mode (static Swift runtime, as the README installs it), writes the data set with `luban generate`, imports it through
`luban` as a user would, then times `report yearly`, `eligibility` and `certify` for one
50-trainee cohort, and one single `luban attend` (also beside the smallest program that writes through
GRDB, `Benchmarks/GRDBFloor`, making the same INSERT). For each step it prints wall time, rows per
second and peak memory (the process's maximum resident set, from wait4), and the ratio to the
same work done by `sqlite3` on the same files or the same database:

- imports: `.import` of the same CSV into an equivalent table with foreign keys on;
- yearly totals: DOMAIN.md's definitions as one SQL query over luban's own database.

It is not a test: it runs outside `swift test`, and prints what it measured.
"""
import argparse, json, os, platform, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd, env=None, stdin=None, quiet=True):
    """Runs cmd; returns (seconds, peak RSS in MiB, stdout, CPU seconds)."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if stdin:
        p.stdin.write(stdin.encode())
        p.stdin.close()
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    elapsed = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err.decode(errors='replace')[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, out.decode(errors="replace"), usage.ru_utime + usage.ru_stime


YEARLY_SQL = """
WITH att AS MATERIALIZED (
    SELECT a.trainee_id AS t, s.cohort_id AS c, substr(s.date, 1, 4) AS y, s.hours AS h
    FROM attendance a JOIN session s ON s.id = a.session_id WHERE a.status IN ('present', 'late')),
by_year AS (SELECT y, count(DISTINCT t) AS trainees, total(h) AS attended_hours FROM att GROUP BY y),
pt AS (SELECT substr(co.start_date, 1, 4) AS y, count(*) AS person_times
       FROM (SELECT DISTINCT c, t FROM att) p JOIN cohort co ON co.id = p.c GROUP BY 1),
co AS (SELECT substr(start_date, 1, 4) AS y, count(*) AS cohorts FROM cohort GROUP BY 1),
se AS (SELECT substr(date, 1, 4) AS y, count(*) AS sessions,
              total(CASE kind WHEN 'classroom' THEN hours END) AS classroom_hours,
              total(CASE kind WHEN 'field' THEN hours END) AS field_hours,
              total(CASE kind WHEN 'demonstration' THEN hours END) AS demonstration_hours
       FROM session GROUP BY 1),
ce AS (SELECT substr(issued_on, 1, 4) AS y, count(*) AS certificates FROM certificate WHERE status = 'valid' GROUP BY 1),
years AS (SELECT y FROM co UNION SELECT y FROM se UNION SELECT y FROM pt UNION SELECT y FROM by_year UNION SELECT y FROM ce),
rows AS (SELECT years.y, coalesce(cohorts, 0) AS cohorts, coalesce(sessions, 0) AS sessions, coalesce(classroom_hours, 0) AS classroom_hours,
                coalesce(field_hours, 0) AS field_hours, coalesce(demonstration_hours, 0) AS demonstration_hours,
                coalesce(person_times, 0) AS person_times, coalesce(trainees, 0) AS trainees,
                coalesce(attended_hours, 0) AS attended_hours, coalesce(certificates, 0) AS certificates
         FROM years LEFT JOIN co USING (y) LEFT JOIN se USING (y) LEFT JOIN pt USING (y)
                    LEFT JOIN by_year USING (y) LEFT JOIN ce USING (y))
SELECT * FROM rows
UNION ALL
SELECT 'total', sum(cohorts), sum(sessions), sum(classroom_hours), sum(field_hours), sum(demonstration_hours),
       sum(person_times), (SELECT count(DISTINCT t) FROM att), sum(attended_hours), sum(certificates) FROM rows;
"""

BASELINE_SCHEMA = """
PRAGMA foreign_keys = ON;
CREATE TABLE trainee (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, id_number TEXT NOT NULL UNIQUE,
                      employer TEXT, craft TEXT, phone TEXT);
CREATE TABLE cohort (code TEXT PRIMARY KEY, start_date TEXT, end_date TEXT, site TEXT, title TEXT);
CREATE TABLE session (id INTEGER PRIMARY KEY, cohort TEXT NOT NULL REFERENCES cohort(code), date TEXT NOT NULL, kind TEXT NOT NULL,
                      hours REAL NOT NULL, course TEXT NOT NULL, site TEXT NOT NULL, expert TEXT NOT NULL, title TEXT NOT NULL);
CREATE UNIQUE INDEX session_identity ON session(cohort, date, kind, course, site, title);
CREATE INDEX session_date ON session(date);
CREATE TABLE session_bare (id INTEGER PRIMARY KEY, cohort TEXT, date TEXT, kind TEXT, hours REAL, course TEXT, site TEXT, expert TEXT, title TEXT);
CREATE TABLE attendance (session INTEGER NOT NULL REFERENCES session(id), trainee TEXT NOT NULL REFERENCES trainee(code),
                         status TEXT NOT NULL, note TEXT);
CREATE INDEX attendance_session ON attendance(session, trainee);
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of the federation-scale data set (default 1)")
    ap.add_argument("--work", help="folder for the data and databases (default: a temporary folder, removed after)")
    ap.add_argument("--out", help="also write the results table (Markdown) to this file")
    ap.add_argument("--json", help="also write the measurements (JSON) to this file, for Benchmarks/scaling.py")
    args = ap.parse_args()

    cohorts = max(4, int(4000 * args.scale))
    trainees = max(200, int(200_000 * args.scale))
    work = args.work or tempfile.mkdtemp(prefix="luban-bench-")
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, "data")
    db = os.path.join(work, "luban.sqlite")
    base = os.path.join(work, "baseline.sqlite")
    for f in [db, db + "-wal", db + "-shm", db + ".issuer-key", base]:
        if os.path.exists(f):
            os.remove(f)

    # Built as the README says to install it: release, with the Swift runtime linked in
    # statically (it starts in about 17 ms instead of 29).
    print("building luban (release, static Swift runtime) ...", file=sys.stderr)
    subprocess.run(["swift", "build", "-c", "release", "--product", "luban", "--static-swift-stdlib", "--disable-local-rpath",
                    "--scratch-path", ".build-static"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    luban = os.path.join(ROOT, ".build-static", "release", "luban")
    # The yardstick under one `attend`: the smallest program that writes through GRDB, built the same way.
    subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--disable-local-rpath",
                    "--package-path", os.path.join(ROOT, "Benchmarks", "GRDBFloor"), "--scratch-path", os.path.join(ROOT, ".build-floor")],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    floor_program = os.path.join(ROOT, ".build-floor", "release", "grdb-floor")
    env = dict(os.environ, LUBAN_DB=db)
    L = lambda *a: [luban, *a]

    print(f"generating {cohorts} cohorts, {trainees} trainees ...", file=sys.stderr)
    if not os.path.exists(os.path.join(data, "attendance.csv")):
        run(L("generate", data, "--cohorts", str(cohorts), "--trainees", str(trainees)))
    rows = {f: sum(1 for _ in open(os.path.join(data, f), "rb")) - 1 for f in os.listdir(data) if f.endswith(".csv")}

    results = []  # (step, rows, luban s, luban MiB, sqlite s, sqlite MiB, target, luban CPU s, sqlite CPU s)

    def step(name, cmd, n=None, baseline=None, target=""):
        t, m, out, c = run(cmd, env=env)
        bt = bm = bc = None
        if baseline:
            bt, bm, _, bc = run(baseline[0], stdin=baseline[1])
        results.append((name, n, t, m, bt, bm, target, c, bc))
        print(f"  {name}: {t:.3f} s", file=sys.stderr)
        return out

    print("importing through luban ...", file=sys.stderr)
    run(L("init"), env=env)
    run(L("curriculum", "load", os.path.join(ROOT, "Curriculum", "luban.yaml")), env=env)
    step("cohort import", L("cohort", "import", f"{data}/cohorts.csv"), rows["cohorts.csv"])
    # The baseline builds its parent tables with the same .import, untimed except the roster.
    run(["sqlite3", base], stdin=BASELINE_SCHEMA + f".import --csv --skip 1 {data}/cohorts.csv cohort\n")
    step("trainee import (roster)", L("trainee", "import", f"{data}/roster.csv"), rows["roster.csv"],
         (["sqlite3", base], f"PRAGMA foreign_keys=ON;\nCREATE TEMP TABLE r (name, id_number, employer, craft, phone);\n"
                             f".import --csv --skip 1 {data}/roster.csv r\nINSERT INTO trainee (code, name, id_number, employer, craft, phone) SELECT printf('T%05d', rowid), * FROM r;\n"),
         target="<= 2x sqlite3")
    # The same roster as the Excel workbook luban writes of it, imported back: every row read
    # and checked, none new. sqlite3 reads no workbook; the figure to watch is the memory.
    xlsx = os.path.join(work, "roster.xlsx")
    run(L("trainee", "list", "--show-id", "--format", "xlsx", "--out", xlsx), env=env)
    step("workbook import (the roster as .xlsx, every row already known)", L("trainee", "import", xlsx), rows["roster.csv"], target="< 64 MiB")
    os.remove(xlsx)
    step("enroll --csv", L("enroll", "--csv", f"{data}/enrolments.csv"), rows["enrolments.csv"])
    # The equivalent table has luban's keys: a session is unique by cohort, date, kind, course,
    # site and title (what makes a second import of a schedule add nothing), its cohort must
    # exist, and sessions are found by date. The bare table (no key, no index) is the yardstick
    # of earlier runs, kept beside it.
    schedule_sql = lambda table: (f"PRAGMA foreign_keys=ON;\nCREATE TEMP TABLE s (cohort, date, kind, hours, course, site, expert, title);\n"
                                  f".import --csv --skip 1 {data}/schedule.csv s\n"
                                  f"INSERT INTO {table} (cohort, date, kind, hours, course, site, expert, title) SELECT * FROM s;\n")
    step("session import", L("session", "import", f"{data}/schedule.csv", "--add-experts"), rows["schedule.csv"],
         (["sqlite3", base], schedule_sql("session")), target="<= 2x sqlite3")
    bt, bm, _, bc = run(["sqlite3", base], stdin=schedule_sql("session_bare"))
    last = results[-1]
    results.append(("session import, against sqlite3 into a bare table (no key, no index)", last[1], last[2], last[3], bt, bm, "", last[7], bc))
    # The roll-call import is the longest step and the one nearest its target, and one timing of
    # it moves by up to a tenth from run to run on this machine: it is timed three times,
    # alternating with sqlite3, each time from the same starting files, and the medians kept.
    for f in (db, base):
        shutil.copyfile(f, f + ".before-roll-call")
    trials = []
    for k in range(3):
        if k:
            for f in (db + "-wal", db + "-shm"):
                if os.path.exists(f):
                    os.remove(f)
            for f in (db, base):
                shutil.copyfile(f + ".before-roll-call", f)
        t, m, _, c = run(L("attend", "--csv", f"{data}/attendance.csv"), env=env)
        bt, bm, _, bc = run(["sqlite3", base], stdin=f"PRAGMA foreign_keys=ON;\n.import --csv --skip 1 {data}/attendance.csv attendance\n")
        trials.append((t, m, bt, bm, c, bc))
        print(f"  roll-call import, trial {k + 1}: {t:.3f} s, sqlite3 {bt:.3f} s", file=sys.stderr)
    for f in (db, base):
        os.remove(f + ".before-roll-call")
    med = lambda i: statistics.median(x[i] for x in trials)
    results.append(("attend --csv (roll-call sheets; median of 3, alternating with sqlite3)", rows["attendance.csv"], med(0),
                    max(x[1] for x in trials), med(2), max(x[3] for x in trials), "<= 0.6x sqlite3; < 64 MiB", med(4), med(5)))
    step("signoff import", L("signoff", "import", f"{data}/signoffs.csv", "--add-experts"), rows["signoffs.csv"])

    print("reports ...", file=sys.stderr)
    yearly = []
    for _ in range(5):
        t, m, _, c = run(L("report", "yearly", "--format", "csv"), env=env)
        bt, bm, _, bc = run(["sqlite3", db], stdin=YEARLY_SQL)
        yearly.append((t, m, bt, bm, c, bc))
    t, m, bt, bm, c, bc = (statistics.median(x[i] for x in yearly) for i in range(6))
    results.append(("report yearly (median of 5)", None, t, m, bt, bm, "<= 1/10 of the SQL", c, bc))
    # Same figures both ways (numbers compared as numbers: sqlite3 prints 8.0 where luban prints 8).
    ours = [r.split(",") for r in run(L("report", "yearly", "--format", "csv"), env=env)[2].strip().splitlines()[1:]]
    theirs = [r.split("|") for r in run(["sqlite3", db], stdin=YEARLY_SQL)[2].strip().splitlines()]
    same = [[c if i == 0 else float(c) for i, c in enumerate(r)] for r in ours] == [[c if i == 0 else float(c) for i, c in enumerate(r)] for r in theirs]
    print(f"  yearly figures equal to the SQL's: {same}", file=sys.stderr)
    if not same:
        sys.exit(f"luban report yearly and the SQL disagree:\n{ours}\n{theirs}")
    cohort = f"C{cohorts // 2}"
    step(f"eligibility {cohort} (50 trainees)", L("eligibility", cohort, "--format", "csv"), target="< 100 ms")
    step(f"certify {cohort}", L("certify", cohort, "--date", "2026-01-01"), target="< 100 ms")
    singles = [run(L("attend", "1", "T00001", "--status", s), env=env) for s in ["late", "present"] * 5]
    # What starting any process costs this script (the floor under every time above).
    floor = statistics.median(run(["/bin/true"])[0] for _ in range(10))
    # One mark as sqlite3 writes it: one INSERT into the baseline's indexed attendance table,
    # foreign keys on, a process each.
    insert = "INSERT INTO attendance VALUES (1, 'T00001', 'present', NULL)"
    inserts = [run(["sqlite3", base, f"PRAGMA foreign_keys=ON; {insert}"]) for _ in range(10)]
    # The same INSERT by a program that only opens a copy of that database through GRDB as luban
    # opens its own, inserts and closes: what any process linking GRDB (and so Foundation) pays.
    floor_db = os.path.join(work, "grdb-floor.sqlite")
    for f in [floor_db, floor_db + "-wal", floor_db + "-shm"]:
        if os.path.exists(f):
            os.remove(f)
    shutil.copyfile(base, floor_db)
    floors = [run([floor_program, floor_db, insert]) for _ in range(10)]
    results.append((f"single attend (median of 10; /bin/true takes {floor * 1000:.1f} ms; sqlite3: one INSERT statement)", 1,
                    statistics.median(s[0] for s in singles), max(s[1] for s in singles),
                    statistics.median(s[0] for s in inserts), max(s[1] for s in inserts), "<= 10 ms and <= 1.5x sqlite3",
                    statistics.median(s[3] for s in singles), statistics.median(s[3] for s in inserts)))
    results.append(("single attend, against the smallest GRDB program making the same INSERT (median of 10)", 1,
                    statistics.median(s[0] for s in singles), max(s[1] for s in singles),
                    statistics.median(s[0] for s in floors), max(s[1] for s in floors), "",
                    statistics.median(s[3] for s in singles), statistics.median(s[3] for s in floors)))

    # The check that the figures still equal a full recomputation at this size.
    t, m, out, c = run(L("check"), env=env)
    results.append(("check (integrity, certificates, ledger, roll-ups)", None, t, m, None, None, "<= 10 s, or a --quick that is", c, None))
    t, m, out, c = run(L("check", "--quick"), env=env)
    results.append(("check --quick", None, t, m, None, None, "<= 10 s", c, None))

    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    sqlite_version = run(["sqlite3", "--version"])[2].split()[0]
    lines = [f"Machine: {os.cpu_count()} cores ({cpu}), {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, "
             f"{platform.system()} {platform.release()}; sqlite3 {sqlite_version}; scale {args.scale} "
             f"({rows['attendance.csv']:,} marks, {rows['roster.csv']:,} trainees, {rows['cohorts.csv']:,} cohorts, {rows['schedule.csv']:,} sessions).",
             "",
             "| step | rows | luban | rows/s | peak MiB | sqlite3 | sqlite3 peak MiB | luban / sqlite3 | CPU time luban / sqlite3 | target |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    fmt = lambda r: f"{r:.2f}" if r >= 0.1 else f"{r:.4f}"
    ms = lambda t: f"{t * 1000:,.0f} ms" if t >= 0.1 else f"{t * 1000:.1f} ms"
    for name, n, t, m, bt, bm, target, c, bc in results:
        rate = f"{n / t:,.0f}" if n else ""
        ratio = fmt(t / bt) if bt else ""
        cpu = f"{c:,.1f} s / {bc:,.1f} s = {fmt(c / bc)}" if bc else ""
        lines.append(f"| {name} | {f'{n:,}' if n else ''} | {ms(t)} | {rate} | {m:.1f} | "
                     f"{ms(bt) if bt else ''} | {f'{bm:.1f}' if bm else ''} | {ratio} | {cpu} | {target} |")
    lines.append("")
    lines.append("Ratios below 1 mean luban took less time than sqlite3 for the same work. Wall time is what the goals are "
                 "about; CPU time (user + system, from wait4) varies less from run to run on a shared machine. In the row "
                 "\"single attend, against the smallest GRDB program\", the sqlite3 columns hold that program's figures.")
    table = "\n".join(lines)
    print(table)
    if args.out:
        with open(args.out, "w") as f:
            f.write(table + "\n")
    if args.json:
        keys = ["step", "rows", "luban_s", "luban_mib", "sqlite_s", "sqlite_mib", "target", "luban_cpu_s", "sqlite_cpu_s"]
        with open(args.json, "w") as f:
            json.dump({"scale": args.scale, "marks": rows["attendance.csv"], "steps": [dict(zip(keys, r)) for r in results]}, f, indent=1)
    if not args.work:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
