//! The event vocabulary as JSON, for programs (`hedgesim events --format json`): the Mesa port
//! reads its copy, `bench/peers/mesa/event_types.json`, which tests/events.rs keeps current.

use crate::schema;
use crate::vocabulary::{Effect, Target, VOCABULARY};
use serde_json::{Map, Value, json};

/// One object per type: its name, title, target (`null`, `"partner"` or `"component"`), effects
/// in the keys a hand-written event uses (`hostile_signal`, `reliability_signal` for the partner,
/// `imminence`, `set` and `shift` by path with `<partner>` or `<component>` in it), the range of
/// each field it sets or shifts (what a shift is clipped to), why, examples and passages.
pub fn json() -> String {
    let types: Vec<Value> = VOCABULARY
        .iter()
        .map(|t| {
            let mut effects = Map::new();
            let (mut set, mut shift, mut range) = (Map::new(), Map::new(), Map::new());
            for e in t.effects {
                match *e {
                    Effect::HostileSignal(v) => _ = effects.insert("hostile_signal".into(), v.into()),
                    Effect::ReliabilitySignal(v) => _ = effects.insert("reliability_signal".into(), v.into()),
                    Effect::Imminence(v) => _ = effects.insert("imminence".into(), v.into()),
                    Effect::Set(path, v) => _ = set.insert(path.into(), v.into()),
                    Effect::Shift(path, v) => _ = shift.insert(path.into(), v.into()),
                }
                if let (Effect::Set(path, _) | Effect::Shift(path, _), Some(row)) =
                    (e, e.schema_path().and_then(|p| schema::params().find(|r| r.path == p)))
                {
                    range.insert(path.to_string(), json!([row.min, row.max]));
                }
            }
            for (k, m) in [("set", set), ("shift", shift)] {
                if !m.is_empty() {
                    effects.insert(k.into(), Value::Object(m));
                }
            }
            let passages: Vec<Value> =
                t.passages.iter().map(|p| json!({ "source": p.source, "quote": p.quote })).collect();
            json!({
                "type": t.name,
                "title": t.title,
                "target": match t.target { Target::None => Value::Null, target => target.key().into() },
                "effects": effects,
                "range": range,
                "why": t.why,
                "examples": t.examples,
                "passages": passages,
            })
        })
        .collect();
    serde_json::to_string_pretty(&types).expect("plain values serialise") + "\n"
}
