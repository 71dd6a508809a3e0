#!/usr/bin/env python3
"""Screenshots of `luban hq serve` in headless Chromium, at desktop and phone width.

    python3 Scripts/hq-screenshots.py                        # writes Reports/samples/hq-*.png
    python3 Scripts/hq-screenshots.py --out /tmp/shots

Needs Debian's `chromium` (not needed by the tests; `.ci/run` never opens a browser). Starts a
throw-away PostgreSQL server (Scripts/start-postgres.sh), makes two centres (the demo's, and one
from `luban generate`), joins them to an HQ, publishes and applies their bundles, serves HQ's
pages in Chinese and photographs the union's page and the public check (a valid certificate).
Nothing is fetched from the internet.
"""
import argparse, os, shutil, socket, subprocess, sys, tempfile, time, urllib.parse, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--luban", default=os.path.join(ROOT, ".build", "debug", "luban"))
    ap.add_argument("--out", default=os.path.join(ROOT, "Reports", "samples"))
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="luban-hq-shots-")
    os.chmod(work, 0o755)
    server = os.path.join(work, "pg")
    url = subprocess.run(["bash", os.path.join(ROOT, "Scripts/start-postgres.sh"), server], check=True, capture_output=True,
                         text=True).stdout.strip()
    serve = None
    try:
        subprocess.run(["psql", url, "-qc", "CREATE DATABASE hq"], check=True)
        env = dict(os.environ, LUBAN_LANG="zh", LUBAN_HQ=url.rsplit("/", 1)[0] + "/hq", LUBAN_HQ_KEY_FILE=os.path.join(work, "hq.key"))
        L = lambda e, *a: subprocess.run([args.luban, *a], env=e, check=True, capture_output=True, text=True).stdout
        L(env, "hq", "init")
        hq_key = L(env, "hq", "key").strip()
        centres = {"CD": "承德培训中心", "BJ": "北京东城培训中心"}
        for code, name in centres.items():
            folder = os.path.join(work, code)
            os.makedirs(folder)
            cenv = dict(env, LUBAN_DB=os.path.join(folder, "luban.sqlite"))
            if code == "CD":
                L(cenv, "demo")
            else:
                data = os.path.join(folder, "data")
                L(cenv, "generate", data, "--cohorts", "6", "--trainees", "300", "--seed", "7")
                L(cenv, "init")
                L(cenv, "curriculum", "load", os.path.join(ROOT, "Curriculum/luban.yaml"))
                for step in [["cohort", "import", "cohorts.csv"], ["trainee", "import", "roster.csv"], ["enroll", "--csv", "enrolments.csv"],
                             ["session", "import", "schedule.csv", "--add-experts"], ["attend", "--csv", "attendance.csv"]]:
                    L(cenv, *[os.path.join(data, a) if a.endswith(".csv") else a for a in step])
            statement = os.path.join(folder, "statement.txt")
            with open(statement, "w") as f:
                f.write(L(env, "hq", "office", "add", code, "--name", name, "--key", L(cenv, "issuer", "key").strip()))
            L(cenv, "office", "join", code, "--hq-key", hq_key, "--statement", statement)
            L(cenv, "publish", "--out", os.path.join(work, "bundles"))
        L(env, "hq", "apply", os.path.join(work, "bundles"))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        serve = subprocess.Popen([args.luban, "hq", "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, text=True)
        serve.stdout.readline()
        base = f"http://127.0.0.1:{port}"
        number, name = "LB-2016-0001-1", "毛振生"
        verify = f"{base}/verify?" + urllib.parse.urlencode({"number": number, "name": name})
        assert "VALID" in urllib.request.urlopen(verify).read().decode(), "the check does not say VALID"
        os.makedirs(args.out, exist_ok=True)
        for page, address in [("union", base + "/"), ("verify", verify)]:
            for device, size in [("desktop", "1280,2200"), ("phone", "390,2400")]:
                path = os.path.join(args.out, f"hq-{page}-{device}.png")
                subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--window-size={size}",
                                f"--screenshot={path}", address], check=True, capture_output=True)
                print(path)
    finally:
        if serve:
            serve.terminate()
            serve.wait()
        subprocess.run(["bash", os.path.join(ROOT, "Scripts/start-postgres.sh"), "--stop", server])
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
