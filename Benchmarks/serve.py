#!/usr/bin/env python3
"""`luban serve` under load: many phones marking one large session at once, over loopback.

    python3 Benchmarks/serve.py                                   # 50 clients, a 2,000-trainee session
    python3 Benchmarks/serve.py --clients 5 --trainees 200 --luban .build/debug/luban   # a quick look

Builds luban and luban-serve as Benchmarks/run.py builds luban (release, static Swift runtime)
unless --luban names a binary (luban-serve is taken from beside it). Prepares a database (one cohort of N trainees, one session dated today), starts
`luban serve --port 0 --rollcall SESSION`, and takes the link and its PIN from what it prints.
The server runs on a pseudo-terminal (it prints a link's token and PIN only to a terminal), and
each client connects from an address of its own in 127.0.0.0/8, as each phone on a hotspot has
its own (the server holds at most 24 connections per device).
Each client enters the PIN (its own browser session), then marks its own share of the trainees
round after round, each mark a new status for its trainee, so that every answered mark must be
exactly one new ledger entry. Marks are posted as the page's script posts them (JSON answer
with the counts). Reports marks per second and p50/p99/max latency as the clients saw them,
beside the command line's single `luban attend` and sqlite3's one-row INSERT in the same run.
Then stops the server with SIGINT and compares the ledger with the marks answered: none lost,
none doubled.

It is not a test: it runs outside `swift test`, and prints what it measured.
"""
import argparse, http.client, io, json, os, pty, re, signal, statistics, subprocess, sys, tempfile, threading, time, urllib.parse
from datetime import date

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import run as bench  # the same build, process timing and sqlite3 baseline as run.py

STATUSES = ["present", "late", "excused", "absent"]


def id_number(i):
    """A valid 18-digit ID number (ISO 7064 MOD 11-2 check digit), distinct for each i."""
    body = f"110101{1970 + i % 30:04d}{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]
    return body + check


class Client:
    """One phone: a kept-alive connection and its cookies."""

    def __init__(self, port, number=0):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(f"127.0.{1 + number // 250}.{1 + number % 250}", 0))
        self.cookies = {}

    def request(self, method, path, fields=None, json_answer=False):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if fields is not None:
            fields = dict(fields, csrf=self.cookies.get("luban_csrf", ""))
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if json_answer:
            headers["Accept"] = "application/json"
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        data = r.read()
        for value in r.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name] = rest.split(";")[0]
        return r.status, data


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--trainees", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=5, help="marks per trainee (each a new status)")
    ap.add_argument("--luban", help="a luban binary (default: build release, static, as run.py does)")
    ap.add_argument("--out", help="also write the results (Markdown) to this file")
    ap.add_argument("--perf", help="record the server with `perf record -g` during the load into this file")
    args = ap.parse_args()

    if args.luban:
        luban = os.path.abspath(args.luban)
    else:
        print("building luban (release, static Swift runtime) ...", file=sys.stderr)
        for product in ["luban", "luban-serve"]:
            subprocess.run(["swift", "build", "-c", "release", "--product", product, "--static-swift-stdlib", "--disable-local-rpath",
                            "--scratch-path", ".build-static"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        luban = os.path.join(ROOT, ".build-static", "release", "luban")
    work = tempfile.mkdtemp(prefix="luban-serve-bench-")
    db = os.path.join(work, "luban.sqlite")
    env = dict(os.environ, LUBAN_DB=db, LUBAN_LANG="en")
    L = lambda *a: [luban, *a]
    today = date.today().isoformat()

    print(f"preparing a cohort of {args.trainees} trainees with a session today ...", file=sys.stderr)
    bench.run(L("init"), env=env)
    bench.run(L("curriculum", "load", os.path.join(ROOT, "Curriculum", "luban.yaml")), env=env)
    bench.run(L("cohort", "add", "B-1", "--start", today, "--end", today, "--site", "承德"), env=env)
    roster = os.path.join(work, "roster.csv")
    with open(roster, "w", encoding="utf-8") as f:
        f.write("name,id_number\n")
        for i in range(args.trainees):
            f.write(f"学员{i + 1},{id_number(i)}\n")
    bench.run(L("trainee", "import", roster, "--enroll", "B-1"), env=env)
    session = bench.run(L("session", "add", "B-1", "--date", today, "--kind", "field", "--hours", "4"), env=env)[2].strip()

    master, slave = pty.openpty()
    server = subprocess.Popen(L("serve", "--port", "0", "--rollcall", session), env=env, stdout=slave, stderr=slave)
    os.close(slave)

    def terminal_lines():
        """What the server prints, line by line, until it closes the terminal."""
        pending = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                if pending:
                    yield pending.decode("utf-8", "replace")
                return
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                yield line.replace(b"\r", b"").decode("utf-8", "replace") + "\n"

    output = terminal_lines()
    banner, link, pin, port = "", None, None, None
    while not (link and pin):
        line = next(output, "")
        if not line:
            sys.exit("luban serve ended before printing its link:\n" + banner)
        banner += line
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        port = port or (m and int(m.group(1)))
        m = re.search(r"PIN (\d{6})", line)
        pin = pin or (m and m.group(1))
        m = re.search(r"https?://[^/]+(/r/[A-Za-z0-9_-]{43})", line)
        link = link or (m and m.group(1))
    # The rest of what the server prints is drained by `cat` into a file, a process of its own:
    # a Python thread reading the terminal would compete with the clients for the interpreter,
    # and a server whose terminal is not read waits on it.
    log_path = os.path.join(work, "serve.log")
    log_file = open(log_path, "wb")
    drain = subprocess.Popen(["cat"], stdin=master, stdout=log_file)
    os.close(master)

    codes = [f"T{i:05d}" for i in range(1, args.trainees + 1)]
    latencies, failures, answered = [], [], [0]
    lock = threading.Lock()
    start_line = threading.Barrier(args.clients + 1)

    def phone(c):
        client = Client(port, c)
        client.request("GET", link)
        status, _ = client.request("POST", link + "/pin", {"pin": pin})
        if status != 303:
            failures.append(f"client {c}: PIN answered {status}")
        mine = codes[c::args.clients]
        start_line.wait()
        for r in range(args.rounds):
            for code in mine:
                t0 = time.perf_counter()
                status, data = client.request("POST", link + "/mark", {"m": f"{code} {STATUSES[r % 4]}"}, json_answer=True)
                dt = time.perf_counter() - t0
                with lock:
                    if status == 200:
                        latencies.append(dt)
                        answered[0] += 1
                    else:
                        failures.append(f"{code}: {status} {data[:200]!r}")

    threads = [threading.Thread(target=phone, args=(c,)) for c in range(args.clients)]
    for t in threads:
        t.start()
    def cpu_seconds(pid):
        """User + system CPU time of a process so far, from /proc."""
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    recorder = None
    if args.perf:
        recorder = subprocess.Popen(["perf", "record", "-F", "1999", "-g", "-p", str(server.pid), "-o", args.perf],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)
    start_line.wait()
    t0 = time.perf_counter()
    server_cpu0, client_cpu0 = cpu_seconds(server.pid), time.process_time()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    server_cpu, client_cpu = cpu_seconds(server.pid) - server_cpu0, time.process_time() - client_cpu0
    if recorder:
        recorder.send_signal(signal.SIGINT)
        recorder.wait()

    server.send_signal(signal.SIGINT)
    exit_code = server.wait(timeout=60)
    try:
        drain.wait(timeout=5)
    except subprocess.TimeoutExpired:
        drain.kill()
    log_file.close()
    requests = open(log_path, encoding="utf-8", errors="replace").read().replace("\r", "").splitlines()
    history = bench.run(L("attendance", "history", session, "--format", "csv"), env=env)[2].strip().splitlines()[1:]
    per_trainee = {}
    for row in history:
        per_trainee[row.split(",")[2]] = per_trainee.get(row.split(",")[2], 0) + 1
    lost = sum(1 for c in codes if per_trainee.get(c, 0) < args.rounds)
    doubled = sum(1 for c in codes if per_trainee.get(c, 0) > args.rounds)
    # The server's own time per mark, from its request log (without the client and the loopback).
    server_ms = [float(m.group(1)) for line in requests if (m := re.match(r"POST /r/…/mark 200 ([\d.]+) ms", line))]

    singles = [bench.run(L("attend", session, codes[0], "--status", s), env=env) for s in ["late", "present"] * 5]
    base = os.path.join(work, "baseline.sqlite")
    bench.run(["sqlite3", base], stdin=bench.BASELINE_SCHEMA
              + "INSERT INTO cohort (code) VALUES ('B'); INSERT INTO session (id, cohort, date, kind, hours, course, site, expert, title)"
              + " VALUES (1, 'B', '2026-01-01', 'field', 4, '', '', '', ''); INSERT INTO trainee (code, name, id_number) VALUES ('T00001', 'x', '1');")
    inserts = [bench.run(["sqlite3", base, "PRAGMA foreign_keys=ON; INSERT INTO attendance VALUES (1, 'T00001', 'present', NULL)"])
               for _ in range(10)]

    lat = sorted(latencies)
    q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else float("nan")
    single = statistics.median(s[0] for s in singles) * 1000
    insert = statistics.median(s[0] for s in inserts) * 1000
    lines = [
        f"`luban serve`, {args.clients} clients over loopback marking one {args.trainees:,}-trainee session, "
        f"{args.rounds} rounds ({date.today()}, {os.cpu_count()} cores):",
        "",
        "| measure | value | target |",
        "|---|---|---|",
        f"| marks answered | {answered[0]:,} of {len(codes) * args.rounds:,} in {elapsed:.2f} s | |",
        f"| marks per second | {answered[0] / elapsed:,.0f} | |",
        f"| latency p50 / p99 / max (client) | {q(0.5):.1f} / {q(0.99):.1f} / {lat[-1] * 1000 if lat else 0:.1f} ms | p99 < 20 ms |",
        f"| server time per mark p50 / p99 (its log) | {statistics.median(server_ms) if server_ms else 0:.2f} / "
        f"{sorted(server_ms)[int(0.99 * len(server_ms))] if server_ms else 0:.2f} ms | |",
        f"| CPU during the load: server / clients (2 cores = {2 * elapsed:.2f} s) | {server_cpu:.2f} s "
        f"({server_cpu / max(1, answered[0]) * 1e6:.0f} µs a mark) / {client_cpu:.2f} s | |",
        f"| ledger after Ctrl-C | {len(history):,} entries; lost {lost}, doubled {doubled}; server exit {exit_code} | none lost or doubled |",
        f"| one `luban attend` (whole process, median of 10) | {single:.1f} ms | |",
        f"| one `sqlite3 DB \"INSERT …\"` (median of 10) | {insert:.1f} ms | |",
    ]
    if failures:
        lines.append("")
        lines.append(f"{len(failures)} failures, the first: {failures[0]}")
    text = "\n".join(lines)
    print(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    if failures or lost or doubled or exit_code != 0:
        sys.exit(1)


if __name__ == "__main__":
    main()
