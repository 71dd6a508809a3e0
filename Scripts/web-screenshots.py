#!/usr/bin/env python3
"""Screenshots of `luban serve` in headless Chromium, as a phone and an office browser see it.

    python3 Scripts/web-screenshots.py                      # writes Reports/samples/web-*.png
    python3 Scripts/web-screenshots.py --luban .build/debug/luban --out /tmp/shots

Needs Debian's `chromium` and `chromium-driver` and PyPI's `selenium` (not needed by the tests;
`.ci/run` never opens a browser). Makes a demo office in a temporary folder, with a cohort whose
session is today, an office account and a roll-call link; signs in through the sign-in page,
opens the roll-call link and enters its PIN on a 360-pixel-wide window, taps a few statuses (with
the page's script), and photographs each page. Nothing is fetched from the internet.
"""
import argparse, os, re, subprocess, sys, tempfile, time
from datetime import date

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--luban", default=os.path.join(ROOT, ".build", "debug", "luban"))
    ap.add_argument("--out", default=os.path.join(ROOT, "Reports", "samples"))
    args = ap.parse_args()
    from selenium import webdriver
    from selenium.webdriver.common.by import By

    work = tempfile.mkdtemp(prefix="luban-shots-")
    db = os.path.join(work, "office.sqlite")
    env = dict(os.environ, LUBAN_DB=db, LUBAN_LANG="zh")
    L = lambda *a: subprocess.run([args.luban, *a], env=env, check=True, capture_output=True, text=True).stdout
    today = date.today().isoformat()
    L("demo")
    L("cohort", "add", "2026-2", "--start", today, "--end", today, "--site", "承德", "--title", "第七期")
    session = L("session", "add", "2026-2", "--date", today, "--kind", "field", "--hours", "4", "--site", "普宁寺",
                "--title", "实地教学：普宁寺大乘之阁").strip()
    L("enroll", "2026-2", *[f"T{i:05d}" for i in range(1, 41)])
    password = "correct horse battery"
    subprocess.run([args.luban, "user", "add", "wangli"], env=env, input=password + "\n", text=True, check=True, capture_output=True)

    server = subprocess.Popen([args.luban, "serve", "--port", "0", "--rollcall", session], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    banner = ""
    while "PIN" not in banner or "/r/" not in banner:
        banner += server.stdout.readline()
    base = "http://127.0.0.1:" + re.search(r"http://127\.0\.0\.1:(\d+)/", banner).group(1)
    link = re.search(r"(/r/[A-Za-z0-9_-]{43})", banner).group(1)
    pin = re.search(r"PIN (\d{6})", banner).group(1)

    # Debian's browser and driver, named: Selenium's own manager would look for them on the internet.
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    service = lambda: webdriver.ChromeService(executable_path="/usr/bin/chromedriver")
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--lang=zh-CN"]:
        options.add_argument(flag)
    os.makedirs(args.out, exist_ok=True)
    shots = []

    def shoot(driver, name):
        path = os.path.join(args.out, f"web-{name}.png")
        driver.save_screenshot(path)
        shots.append(path)

    # The phone: the link, the PIN, a few taps, the board.
    phone = webdriver.Chrome(options=options, service=service())
    phone.set_window_size(360, 800)
    phone.get(base + link)
    shoot(phone, "phone-pin")
    phone.find_element(By.NAME, "pin").send_keys(pin)
    phone.find_element(By.CSS_SELECTOR, "button.primary").click()
    time.sleep(0.3)
    for code, status in [("T00001", "present"), ("T00002", "present"), ("T00003", "late"), ("T00004", "excused"),
                         ("T00005", "absent"), ("T00006", "present")]:
        phone.find_element(By.CSS_SELECTOR, f"button[value='{code} {status}']").click()
        time.sleep(0.15)
    phone.execute_script("window.scrollTo(0, 0)")
    shoot(phone, "phone-rollcall")
    phone.quit()

    # The office: sign in, then its pages.
    office = webdriver.Chrome(options=options, service=service())
    office.set_window_size(1280, 900)
    office.get(base + "/login")
    office.find_element(By.NAME, "name").send_keys("wangli")
    office.find_element(By.NAME, "password").send_keys(password)
    office.find_element(By.CSS_SELECTOR, "button.primary").click()
    time.sleep(0.3)
    for name, path in [("office-cohorts", "/"), ("office-grid", "/cohorts/2014-1/grid"),
                       ("office-eligibility", "/cohorts/2014-1/eligibility"), ("office-totals", "/totals"),
                       ("office-register", "/cohorts/2014-1/register"), ("office-session", f"/sessions/{session}")]:
        office.get(base + path)
        shoot(office, name)
    office.find_element(By.XPATH, "//form[contains(@action, '/link')]/button").click()
    time.sleep(0.3)
    shoot(office, "office-link")
    office.get(base + "/verify")
    office.find_element(By.NAME, "text").send_keys("LB-2014-0001-X")
    office.find_element(By.CSS_SELECTOR, "button.primary").click()
    time.sleep(0.5)
    shoot(office, "verify")
    office.quit()

    server.send_signal(2)
    server.wait(timeout=30)
    for path in shots:
        print(os.path.relpath(path, ROOT))


if __name__ == "__main__":
    main()
