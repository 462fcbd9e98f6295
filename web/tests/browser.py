"""The teaching page in a real browser: headless Chromium (Debian's package) driven over the
DevTools protocol with `websocket-client` (PyPI).

It opens docs/hedgesim.html from file:// and checks that the page loads with no console error and
no network request; that moving the hostility slider to its ends changes the label shown; that
clicking a turn shows explain's sentences, the same as `hedgesim explain --format json` gives; that
a shock button adds an event at the current turn; that every preset loads; and that the URL's
fragment restores the settings. It prints, without asserting, the page's size, the time to the
first chart and the time to recompute 50 runs × 80 turns (BENCHMARKS.md).

    python web/tests/browser.py docs/hedgesim.html target/release/hedgesim [--screenshots DIR]
"""

import argparse
import base64
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

ROOT = pathlib.Path(__file__).resolve().parents[2]


class Browser:
    """One headless Chromium with one page, and the DevTools events that matter here."""

    def __init__(self, width=1400, height=1100):
        self.profile = tempfile.mkdtemp(prefix="hedgesim-chromium-")
        exe = shutil.which("chromium") or shutil.which("chromium-browser")
        if not exe:
            sys.exit("chromium is not installed (apt-get install chromium)")
        self.proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage", "--remote-debugging-port=0",
             f"--user-data-dir={self.profile}", f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = pathlib.Path(self.profile) / "DevToolsActivePort"
        for _ in range(300):
            if port_file.exists() and port_file.read_text().count("\n") >= 1:
                break
            time.sleep(0.05)
        else:
            self.close()
            sys.exit("chromium did not start its DevTools server")
        port = port_file.read_text().split("\n")[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as r:
            page = next(t for t in json.load(r) if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0
        self.errors, self.requests = [], []
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.send(f"{domain}.enable")

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.event(msg)

    def event(self, msg):
        m, p = msg.get("method"), msg.get("params", {})
        if m == "Runtime.exceptionThrown":
            self.errors.append(p["exceptionDetails"].get("exception", {}).get("description") or p["exceptionDetails"]["text"])
        elif m == "Runtime.consoleAPICalled" and p["type"] in ("error", "assert"):
            self.errors.append(" ".join(str(a.get("value", a.get("description"))) for a in p["args"]))
        elif m == "Log.entryAdded" and p["entry"]["level"] == "error":
            self.errors.append(p["entry"]["text"])
        elif m == "Network.requestWillBeSent":
            self.requests.append(p["request"]["url"])

    def js(self, expression):
        """The value of a JavaScript expression (awaited if a promise)."""
        r = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def settle(self):
        """Wait two animation frames: the page recomputes on the next frame after an input."""
        self.js("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))")

    def open(self, url):
        """Load `url` afresh (by way of about:blank, so that a new fragment is a new load, as a
        link handed out is) and wait for the first chart."""
        self.send("Page.navigate", url="about:blank")
        for _ in range(400):
            if self.js("location.href") == "about:blank":
                break
            time.sleep(0.025)
        self.send("Page.navigate", url=url)
        for _ in range(400):
            if self.js("!!(window.hedgesim && hedgesim.timings.first_chart_ms !== undefined)"):
                return
            time.sleep(0.025)
        raise AssertionError(f"{url}: the page drew no chart")

    def click(self, x, y):
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def screenshot(self, path):
        """The whole page, however long, as a PNG."""
        size = self.send("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True, clip=clip)["data"]
        pathlib.Path(path).write_bytes(base64.b64decode(data))

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print(f"ok {what}")


def set_slider(b, path, value):
    b.js(f"""(() => {{ const el = document.querySelector('input[data-path="{path}"]');
        el.value = {value}; el.dispatchEvent(new Event('input')); return el.value; }})()""")
    b.settle()


def label(b):
    return b.js("document.getElementById('labelnow').textContent")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("page")
    ap.add_argument("hedgesim")
    ap.add_argument("--screenshots", help="write PNGs of the page in several states here")
    args = ap.parse_args()
    page = pathlib.Path(args.page).resolve()
    url = page.as_uri()
    shots = pathlib.Path(args.screenshots) if args.screenshots else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    b = Browser()
    try:
        b.open(url)
        first, script = b.js("[hedgesim.timings.first_chart_ms, hedgesim.timings.script_start_ms]")
        check(b.js("hedgesim.S.preset") == "teaching-dyad" and b.js("hedgesim.run.rows.length") == 80,
              "the page opens from file:// on the teaching dyad, 80 turns")
        if shots:
            b.screenshot(shots / "page-teaching-dyad.png")

        # Hostility to its ends: the label at the last turn changes.
        set_slider(b, "great_power.hostility", 0)
        low = label(b)
        set_slider(b, "great_power.hostility", 1)
        high = label(b)
        check(low != high, f"hostility 0 → label “{low}”, hostility 1 → “{high}”")
        check("set=great_power.hostility%3A1" in b.js("location.hash"), "the fragment records the slider")

        # Click turn 30 on the mix chart: explain's sentences, as the CLI gives them.
        turn = 30
        x, y = b.js(f"""(() => {{ const r = document.getElementById('mix').getBoundingClientRect();
            const w = r.width - 64 - 28; return [r.left + 64 + ({turn} + 0.5) / 80 * w, r.top + 60]; }})()""")
        b.click(x, y)
        b.settle()
        shown = b.js("[...document.querySelectorAll('#sentences li')].map(li => li.textContent)")
        cli = subprocess.run([args.hedgesim, "explain", str(ROOT / "scenarios/teaching-dyad.toml"), "--turn", str(turn),
                              "--set", "great_power.hostility=1", "--format", "json"],
                             check=True, capture_output=True, text=True)
        want = json.loads(cli.stdout)["sentences"]
        check(shown and shown == want, f"clicking turn {turn} shows explain's {len(want)} sentences, as the CLI's")
        if shots:
            b.screenshot(shots / "page-why.png")

        # A shock at the current turn: the model's event mechanics apply it there.
        b.open(url + "#preset=1-uncertainty&turn=30")
        check(b.js("hedgesim.S.cursor") == 30, "the fragment's turn sets the cursor")
        before = b.js("hedgesim.run.rows[30].imminence")
        b.js("document.querySelector('[data-shock=threat]').click()")
        b.settle()
        after = b.js("hedgesim.run.rows[30].imminence")
        check(before == 0 and after == 1, f"“the great power threatens you now” at turn 30: imminence {before} → {after}")
        check("shocks=threat%4030" in b.js("location.hash"), "the fragment records the shock")

        # Every preset loads.
        for p in b.js("PRESETS.map(p => [p.id, p.caption])"):
            b.js(f"(() => {{ const s = document.getElementById('preset'); s.value = '{p[0]}'; s.dispatchEvent(new Event('change')); }})()")
            b.settle()
            turns = b.js("hedgesim.run.rows.length")
            ok = (b.js("document.getElementById('caption').textContent") == p[1]
                  and b.js("document.getElementById('error').textContent") == "" and label(b) != "")
            check(ok and turns > 0, f"preset {p[0]} loads ({turns} turns, label “{label(b)}”)")
            if shots and p[0] == "4-azerbaijan-2003-2023":
                b.js("why(22)")  # Georgia, 2008: the turn the tutorial asks about
                b.screenshot(shots / f"page-{p[0]}.png")

        # The fragment restores the settings, and many seeds.
        b.open(url + "#preset=2a-threat-alone&seed=7&set=small_state.gamma%3A3&runs=20&why=42")
        got = b.js("""[hedgesim.S.preset, document.getElementById('seed').value,
            document.querySelector('input[data-path="small_state.gamma"]').value, document.getElementById('many').checked,
            hedgesim.agg && hedgesim.agg.runs, document.getElementById('whyturn').textContent,
            document.querySelectorAll('#sentences li').length]""")
        check(got[:6] == ["2a-threat-alone", "7", "3", True, 20, "turn 42, run 0"] and got[6] > 0,
              f"the fragment restores preset, seed, γ, 20 runs and the explained turn: {got}")
        if shots:
            b.screenshot(shots / "page-many-seeds.png")

        # Compare: pin the setting as A, change B, and the fragment brings both back.
        b.js("document.getElementById('many').checked = false; document.getElementById('many').dispatchEvent(new Event('change'))")
        b.settle()
        b.js("document.getElementById('pin').click()")
        set_slider(b, "small_state.gamma", 9)
        link = b.js("location.href")
        check("compare=" in link and b.js("hedgesim.pinned.st.set['small_state.gamma']") == 3,
              "compare pins γ = 3 as A while B moves to γ = 9")
        a_label = b.js("hedgesim.pinned.run.rows.at(-1).label")
        b.open(link)
        got = b.js("""[!document.getElementById('compareA').hidden, hedgesim.pinned && hedgesim.pinned.st.set['small_state.gamma'],
            hedgesim.S.set['small_state.gamma'], hedgesim.pinned && hedgesim.pinned.run.rows.at(-1).label]""")
        check(got == [True, 3, 9, a_label], f"the fragment restores the comparison: A γ = 3, B γ = 9 ({got})")
        if shots:
            b.screenshot(shots / "page-compare.png")

        # Figures for BENCHMARKS.md, measured here and not asserted.
        b.js("document.getElementById('preset').value = '1-uncertainty'; document.getElementById('preset').dispatchEvent(new Event('change'))")
        times = b.js("""(() => { const r = hedgesim.request('runs', { runs: 50 }); const t = [];
            for (let i = 0; i < 7; i++) { const s = performance.now(); hedgesim.call(r); t.push(performance.now() - s); }
            return t.sort((a, b) => a - b); })()""")
        # A slider move with many seeds on: one run, 50 runs and the three charts redrawn.
        b.js("document.getElementById('many').checked = true; document.getElementById('many').dispatchEvent(new Event('change'))")
        moves = b.js("""(() => { const el = document.querySelector('input[data-path="great_power.hostility"]'); const t = [];
            for (let i = 0; i < 7; i++) { el.value = 0.3 + 0.05 * i; el.dispatchEvent(new Event('input'));
              const s = performance.now(); recompute(); t.push(performance.now() - s); }
            return t.sort((a, b) => a - b); })()""")

        check(not b.errors, f"no console error or exception ({b.errors})")
        foreign = [u for u in b.requests if not u.startswith(url.split("#")[0])]
        check(not foreign, f"no network request ({len(b.requests)} requests, all for the page itself)")
        print(f"page size: {page.stat().st_size} bytes")
        print(f"time to first chart (first load, from the navigation's start): {first:.0f} ms "
              f"(the page's script started at {script:.0f} ms)")
        print(f"50 runs × 80 turns (demo 1), 7 times: median {times[3]:.1f} ms, min {times[0]:.1f}, max {times[-1]:.1f}")
        print(f"a slider move with 50 runs (run, 50 runs, redraw), 7 times: median {moves[3]:.1f} ms, "
              f"min {moves[0]:.1f}, max {moves[-1]:.1f}")
    finally:
        b.close()


if __name__ == "__main__":
    main()
