"""Assemble the browser page: web/page/page.html with the styles, the glue, the app, the wasm module
(base64) and the bundled scenarios inlined, written to the path given. scripts/build-web.sh runs it;
nothing here depends on the time, the machine or the order of a directory listing."""
import base64
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAGE = ROOT / "web" / "page"

# The tutorial's demos (docs/tutorial.md) and the cases, in the order of the lesson, each with what
# to look for.
PRESETS = [
    ("teaching-dyad", "scenarios/teaching-dyad.toml", "The teaching dyad",
     "One weak state, a great power of uncertain intent and an uncertain ally: it hedges. "
     "Move hostility and risk aversion γ and watch the mix and the label."),
    ("1-uncertainty", "scenarios/teaching/1-uncertainty.toml", "Demo 1: uncertainty about intentions ⇒ hedging",
     "The mix keeps both ends: dominance denial on one side, binding engagement and limited bandwagoning "
     "on the other. Click turn 30: the offsetting pair insures each other. Lower γ to see the hedge go."),
    ("2a-threat-alone", "scenarios/teaching/2a-threat-alone.toml", "Demo 2a: a direct threat, a weak ally ⇒ bandwagoning",
     "From turn 40 to 55 the threat is direct and imminent: the state goes to the great power's side, "
     "then climbs slowly back to hedging. Click turn 42 to read why it kept its side."),
    ("2b-threat-with-ally", "scenarios/teaching/2b-threat-with-ally.toml", "Demo 2b: a direct threat, a strong ally ⇒ balancing",
     "Only the ally differs from 2a: strong and reliable. The state balances, even before the threat "
     "(Walt, not Kuik: discuss)."),
    ("3-forced-choice", "scenarios/teaching/3-forced-choice.toml", "Demo 3: a forced choice between rivals ⇒ hedging collapses",
     "From turn 40 the great power and the ally are rivals that demand a choice: hedging ends and the "
     "weak state bandwagons. Click turn 40: it switched sides."),
    ("4-azerbaijan-2003-2023", "scenarios/teaching/4-azerbaijan-2003-2023.toml", "Demo 4: Azerbaijan, 2003–2023",
     "Twenty years of events from the case studies (grey lines). It hedges throughout, with dominance denial "
     "against binding engagement. Click 2008 (turn 22): why hold dominance denial?"),
    ("azerbaijan-russia", "scenarios/azerbaijan-russia.toml", "Case: Azerbaijan and Russia",
     "The Azerbaijan case (docs/cases.md compares it with the papers period by period)."),
    ("belarus-russia", "scenarios/belarus-russia.toml", "Case: Belarus and Russia",
     "The Belarus case: heavy dependence on Russia (docs/cases.md)."),
]


def main(out):
    wasm = (ROOT / "target" / "wasm32-unknown-unknown" / "web" / "hedgesim_web.wasm").read_bytes()
    presets = [
        {"id": i, "file": f, "title": t, "caption": c, "toml": (ROOT / f).read_text(encoding="utf-8")}
        for i, f, t, c in PRESETS
    ]
    page = (PAGE / "page.html").read_text(encoding="utf-8")
    parts = {
        "/*STYLE*/": (PAGE / "style.css").read_text(encoding="utf-8"),
        "/*MODEL_JS*/": (PAGE / "model.js").read_text(encoding="utf-8"),
        # `</` cannot end the script early once escaped.
        "/*PRESETS*/": json.dumps(presets, ensure_ascii=False, indent=0).replace("</", "<\\/"),
        "/*APP_JS*/": (PAGE / "app.js").read_text(encoding="utf-8"),
        "__WASM_BASE64__": base64.b64encode(wasm).decode("ascii"),
    }
    for marker, text in parts.items():
        if page.count(marker) != 1:
            sys.exit(f"web/page/page.html: expected {marker} once")
        page = page.replace(marker, text)
    pathlib.Path(out).write_text(page, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
