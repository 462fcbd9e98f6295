//! The event vocabulary: the kinds of things that happen to a small state, each with fixed effects
//! (docs/events.md).
//!
//! A case file should not tune the size of each event until the model agrees with the papers. So a
//! case names *what* happened (`type = "neighbour_attacked"`, "the great power attacks a
//! neighbour") and the size comes from this table, written and justified before any case was run
//! with it. Free numbers (`hostile_signal = 0.7`) stay for teaching files and experiments.
//!
//! Every effect is one of the event mechanics a file can write by hand (docs/model.md §8): a
//! public signal about the great power's hostility, a signal about a named partner's reliability,
//! imminence, and `set`/`shift` of a field. A typed event expands into exactly those, so it applies
//! exactly as its hand-written expansion does (tests/events.rs checks the runs byte for byte).
//!
//! The numbers are in the model's own units, anchored where possible to what the model already
//! treats as the same kind of evidence:
//! - a hostility signal is in Beta counts, the unit of the great power's actions
//!   (`beliefs.reward_signal` −0.5, `pressure_signal` +0.5, `coerce_signal` +3);
//! - a reliability signal is in tests: a partner tested when the great power coerces adds one
//!   count to its belief, delivered or not (`Beta::observe`);
//! - a set of `great_power.focus` uses the ends of the range over which the v2 design asks the
//!   facts to hold (focus 0.5–1, the v2 box).
//!
//! Signals are one-off evidence, not rates, so they do not depend on the time step.

use crate::input::show_number;
use crate::spectrum::Component;

/// What an event type needs named besides its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Nothing: the type is about the great power or the small state as a whole.
    None,
    /// `partner = "Name"`: one of the scenario's third powers.
    Partner,
    /// `component = "DD"`: one of Kuik's seven components.
    Component,
}

impl Target {
    /// The key a file writes for this target, if any.
    pub fn key(self) -> Option<&'static str> {
        match self {
            Target::None => None,
            Target::Partner => Some("partner"),
            Target::Component => Some("component"),
        }
    }
}

/// Placeholder for the partner's name in an effect's path.
pub const PARTNER: &str = "<partner>";
/// Placeholder for the component's code in an effect's path.
pub const COMPONENT: &str = "<component>";

/// One fixed effect, in the terms of a hand-written event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Effect {
    /// `hostile_signal`: Beta counts of evidence that the great power is hostile (< 0: benign).
    HostileSignal(f64),
    /// `reliability_signal = { <partner> = v }`: Beta counts of evidence that the partner delivers.
    ReliabilitySignal(f64),
    /// `imminence`: the small state's imminence is set to this value.
    Imminence(f64),
    /// `set = { path = v }`; the path may hold [`PARTNER`] or [`COMPONENT`].
    Set(&'static str, f64),
    /// `shift = { path = v }` (added, then clipped to the field's range).
    Shift(&'static str, f64),
}

/// A passage an event type rests on: the paper as docs/references.md cites it, and the words.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Passage {
    /// `Author year, § section`, as docs/references.md lists the sections.
    pub source: &'static str,
    pub quote: &'static str,
}

/// One type of the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventType {
    /// What a file writes: `type = "neighbour_attacked"`.
    pub name: &'static str,
    /// What it stands for, in words (the default label of an event of this type).
    pub title: &'static str,
    pub target: Target,
    pub effects: &'static [Effect],
    /// Why these numbers: the anchor in the model's units, or the choice made.
    pub why: &'static str,
    /// What the type covers in the cases, for a reader choosing one.
    pub examples: &'static str,
    pub passages: &'static [Passage],
}

/// A typed event's effects with its target filled in: the free-number event it stands for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Expansion {
    pub set: Vec<(String, f64)>,
    pub shift: Vec<(String, f64)>,
    pub hostile_signal: Option<f64>,
    /// The partner's name and the signal.
    pub reliability_signal: Vec<(String, f64)>,
    pub imminence: Option<f64>,
}

impl EventType {
    /// The type a file names, if the vocabulary has it.
    pub fn find(name: &str) -> Option<&'static EventType> {
        VOCABULARY.iter().find(|t| t.name == name)
    }

    /// The hand-written event this type stands for, for `partner` (a third power's name) or
    /// `component` where the type takes one. The caller checks that the target is given and
    /// exists; a placeholder with nothing to fill it stays as it is.
    pub fn expand(&self, partner: Option<&str>, component: Option<Component>) -> Expansion {
        let fill = |path: &str| {
            let path = partner.map_or(path.to_string(), |p| path.replace(PARTNER, p));
            component.map_or(path.clone(), |c| path.replace(COMPONENT, c.code()))
        };
        let mut out = Expansion::default();
        for effect in self.effects {
            match *effect {
                Effect::HostileSignal(v) => out.hostile_signal = Some(v),
                Effect::ReliabilitySignal(v) => {
                    out.reliability_signal.push((partner.unwrap_or(PARTNER).to_string(), v));
                }
                Effect::Imminence(v) => out.imminence = Some(v),
                Effect::Set(path, v) => out.set.push((fill(path), v)),
                Effect::Shift(path, v) => out.shift.push((fill(path), v)),
            }
        }
        out
    }
}

impl Effect {
    /// The effect in words close to a file's: `hostile_signal = 1.5`,
    /// `shift third_powers.<partner>.affinity by +0.1`.
    pub fn describe(&self) -> String {
        match *self {
            Effect::HostileSignal(v) => format!("hostile_signal = {}", show_number(v)),
            Effect::ReliabilitySignal(v) => format!("reliability_signal = {{ {PARTNER} = {} }}", show_number(v)),
            Effect::Imminence(v) => format!("imminence = {}", show_number(v)),
            Effect::Set(path, v) => format!("set {path} = {}", show_number(v)),
            Effect::Shift(path, v) => {
                format!("shift {path} {} {}", if v < 0.0 { "−" } else { "+" }, show_number(v.abs()))
            }
        }
    }

    /// The field a set or shift changes, as the schema writes its path (`third_powers.<name>.affinity`).
    pub fn schema_path(&self) -> Option<String> {
        match self {
            Effect::Set(path, _) | Effect::Shift(path, _) => Some(path.replace(PARTNER, "<name>")),
            _ => None,
        }
    }
}

/// Formats of [`table`] (JSON is the `hedgesim` crate's, from [`VOCABULARY`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Markdown,
    Text,
}

/// `a`; `b` as Markdown code.
fn code_list(items: &[String]) -> String {
    items.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join("; ")
}

/// The vocabulary as `hedgesim events` prints it, and docs/events.md holds its Markdown table.
pub fn table(format: TableFormat) -> String {
    let effects = |t: &EventType| t.effects.iter().map(Effect::describe).collect::<Vec<_>>();
    let sources = |t: &EventType| t.passages.iter().map(|p| p.source).collect::<Vec<_>>();
    let takes = |t: &EventType| t.target.key().map_or(String::new(), |k| format!("{k} = \"…\""));
    let mut out = String::new();
    match format {
        TableFormat::Markdown => {
            out.push_str("| type | what happened | takes | effects | sources |\n|---|---|---|---|---|\n");
            for t in VOCABULARY {
                out.push_str(&format!(
                    "| `{}` | {} | {} | {} | {} |\n",
                    t.name,
                    t.title,
                    t.target.key().map_or(String::new(), |k| format!("`{k}`")),
                    code_list(&effects(t)),
                    sources(t).join("; ")
                ));
            }
            for t in VOCABULARY {
                out.push_str(&format!("\n### `{}`: {}\n\n", t.name, t.title));
                if let Some(k) = t.target.key() {
                    out.push_str(&format!("Takes `{k} = \"…\"`.\n"));
                }
                out.push_str(&format!("Effects: {}.\n\n", code_list(&effects(t))));
                out.push_str(&format!("Why these numbers: {}\n\n", t.why));
                out.push_str(&format!("In the cases: {}.\n\n", t.examples));
                for p in t.passages {
                    out.push_str(&format!("- \"{}\" ({})\n", p.quote, p.source));
                }
            }
        }
        TableFormat::Text => {
            for t in VOCABULARY {
                let target = takes(t);
                out.push_str(&format!(
                    "{}{}{target}: {}\n",
                    t.name,
                    if target.is_empty() { "" } else { ", " },
                    t.title
                ));
                out.push_str(&format!("    effects:  {}\n", effects(t).join("; ")));
                out.push_str(&format!("    why:      {}\n", t.why));
                out.push_str(&format!("    examples: {}\n", t.examples));
                out.push_str(&format!("    sources:  {}\n", sources(t).join("; ")));
            }
        }
    }
    out
}

// The passages each type rests on, shared where two types rest on the same one.

const KUIK_IMMINENT: Passage = Passage {
    source: "Khalilov 2023, § Literature Review",
    quote: "small states would choose a pure-balancing or pure-bandwagoning approach only if the threat to them by a \
            big power is direct and imminent. As long as this is not the case, small states would prefer the policy \
            of hedging.",
};
const GEORGIA_2008: Passage = Passage {
    source: "Jović-Lazić & Bošković 2024, § Limited Bandwagoning and Binding Engagement",
    quote: "Moscow's willingness to engage in military conflict to assert its influence in the South Caucasus \
            highlighted the limited deterrence capabilities of the West … Azerbaijan's confidence in the guarantees \
            given by the West and the US to the South Caucasus states was seriously undermined",
};
const CRIMEA_2014: Passage = Passage {
    source: "Khalilov 2023, § Findings: the shift",
    quote: "it formally annexed Crimea into the Russian Federation. Yet, the response from the West was relatively \
            mild",
};
const WEST_FAILS_GEORGIA: Passage = Passage {
    source: "Hamzaoğlu 2025, § Georgian War",
    quote: "the failure of Western countries, particularly the United States, to respond adequately to Russia led to \
            widespread disappointment among Azerbaijanis.",
};
const WALT_AGGRESSIVE: Passage = Passage {
    source: "Preiherman 2017, § Neorealism and Belarus",
    quote: "The more unalterably aggressive a state is perceived to be, the greater the tendency for others to \
            balance against it. (Walt's third hypothesis)",
};
const MOSCOW_DEMANDS: Passage = Passage {
    source: "Preiherman 2017, § Neorealism and Belarus",
    quote: "Moscow demanded that Belarus bandwagon with its decisions: to recognise the breakaway entities of \
            Abkhazia and South Ossetia",
};
const DIPLOMATIC_PRESSURE_2016: Passage = Passage {
    source: "Khalilov 2023, § Introduction",
    quote: "when serious fighting broke out between Armenia and Azerbaijan in April of 2016 … Russia immediately \
            intervened to stop the fighting by exerting diplomatic pressure on both sides.",
};
const MOSCOW_DECLARATION: Passage = Passage {
    source: "Hamzaoğlu 2025, § Georgian War",
    quote: "showed that Moscow was ready to actively contribute to the settlement of the conflict",
};
const ALLIED_INTERACTION_2022: Passage = Passage {
    source: "Hamzaoğlu 2025, § Ukrainian War",
    quote: "This declaration was seen by Azerbaijani political experts as a reassurance that Russia would not pursue \
            policies similar to Ukraine in its relations with Azerbaijan",
};
const ABSORBED_2023: Passage = Passage {
    source: "Jović-Lazić & Bošković 2024, § Introductory Remarks",
    quote: "Russia's deep involvement in the war with Ukraine during this period made it impossible for Moscow to \
            respond to Azerbaijan's actions adequately.",
};
const ROOM_2022: Passage = Passage {
    source: "Hamzaoğlu 2025, § Ukrainian War",
    quote: "Azerbaijan has had much more room for maneuver in these troubled times",
};
const RUSSIA_RETURNS: Passage = Passage {
    source: "Khalilov 2023, § Findings: the shift",
    quote: "The image of Russia as a weakened power gradually started to change in the early 2000s. … One of the \
            very early key events that signaled the coming change in Russia's foreign policy … was Putin's speech at \
            the Munich Conference on Security Policy in February 2007.",
};
const POWER_DYNAMICS: Passage = Passage {
    source: "Jović-Lazić & Bošković 2024, § Hedging concept",
    quote: "the intensity of these policies is not consistently the same, as a small state's implementation may \
            differ based on changes in the power dynamics of a larger one.",
};
const LABS_FORCED: Passage = Passage {
    source: "Preiherman 2017, § Neorealism and Belarus",
    quote: "According to Labs (1992: 385), when small states are not pressured into becoming part of a great power \
            conflict they will actually prefer to stay nonaligned, but if forced to take a side they will in all \
            probability bandwagon.",
};
const TURKEY_2020: Passage = Passage {
    source: "Jović-Lazić & Bošković 2024, § Turkey's Support",
    quote: "Turkey provided Azerbaijan with logistical, intelligence, military, and political support.",
};
const TURKEY_TREATY_2010: Passage = Passage {
    source: "Jović-Lazić & Bošković 2024, § Relations with Turkey",
    quote: "The 2010 Strategic Partnership and Mutual Support Agreement laid a solid foundation for Azerbaijan's \
            policy of foreign dominance denial … both parties can use military force … in the event of an armed \
            attack",
};
const LOANS_ELSEWHERE: Passage = Passage {
    source: "Preiherman 2017, § Ukraine Crisis",
    quote: "It also conducts negotiations with the IMF and China in order to get loans from them rather than from \
            Russia or Russian-led institutions.",
};
const EUROPE_2022: Passage = Passage {
    source: "Hamzaoğlu 2025, § Ukrainian War",
    quote: "the war in Ukraine has made Azerbaijan more important both for Europe",
};
const WEST_CRITICISM: Passage = Passage {
    source: "Jović-Lazić & Bošković 2024, § Economic Pragmatism",
    quote: "Western criticism of the democratic standards in Azerbaijan was observed as an attempt to weaken the \
            Baku government",
};
const EU_CRISIS: Passage = Passage {
    source: "Preiherman 2017, § Ukraine Crisis",
    quote: "the first two stages – the CU and SES – coincided with a protracted crisis in Belarus's relations with \
            the EU.",
};
const DOMESTIC_LEGITIMATION: Passage = Passage {
    source: "Khalilov 2023, § Literature Review",
    quote: "a strategy that justifies, enhances, and consolidates the internal authority of the ruling elite will \
            become the preferred choice (Kuik's Domestic Legitimation model)",
};
const THIRTY_THIRTY_THIRTY: Passage = Passage {
    source: "Preiherman 2017, § Ukraine Crisis",
    quote: "the government has proclaimed the 30-30-30 strategy with a view to diversifying its economic relations",
};
const TOO_CLOSE: Passage = Passage {
    source: "Hamzaoğlu 2025, § Conceptual Framework",
    quote: "afraid of losing their independence if they get too close to the great powers, which could ultimately \
            lead to the loss of independence of these relatively small states and call into question the legitimacy \
            of the elites of that state in domestic politics (Kuik 2008)",
};
const LEVERAGE_ENDS: Passage = Passage {
    source: "Khalilov 2023, § Introduction",
    quote: "The conclusive victory of one side over the other, would in turn release them from the main leverage \
            Russia possessed over them.",
};
const PIPELINES: Passage = Passage {
    source: "Jović-Lazić & Bošković 2024, § Relations with Turkey",
    quote: "Exporting gas and oil outside Russia's territory eliminates the possibility of its dependence on Moscow.",
};
const FILTER_ONE: Passage = Passage {
    source: "Preiherman 2017, § Ukraine Crisis",
    quote: "Does behaviour improve the ability of the actor to cope without specific public goods or subsidies that \
            are currently being provided to it by the system leader? (Tessman's Filter One)",
};
const INTEGRATION: Passage = Passage {
    source: "Preiherman 2017, § Ukraine Crisis",
    quote: "Initially, Minsk acceded to the Customs Union (CU) in 2010, then the Single Economic Space (SEE) was \
            launched in 2012 … the Eurasian Economic Union (EEU) became reality on 1 January 2015",
};
const MULTI_LEVEL_DEPENDENCE: Passage = Passage {
    source: "Preiherman 2017, § Introduction",
    quote: "Its heavy multi-level dependence on Russia pre-programmes and structurally restricts its manoeuvring \
            space.",
};

/// The vocabulary, in the order docs/events.md lists it: the great power's acts, then the
/// partners', then the small state's own structure. Written, with its reasons, before any case
/// was run with it (v2 property 7); change a number only with a reason from the theory,
/// never to fit a case.
pub const VOCABULARY: &[EventType] = &[
    EventType {
        name: "neighbour_attacked",
        title: "the great power attacks a neighbour",
        target: Target::None,
        effects: &[Effect::HostileSignal(1.5)],
        why: "A use of force teaches what a coercion teaches (`beliefs.coerce_signal` = 3 Beta counts), but it is \
              aimed at another state: half of it, 1.5. No imminence: the threat is not direct and imminent to this \
              state. How the state's partners answered is an event of its own (`ally_fails`, `ally_delivers`).",
        examples: "Georgia 2008, Crimea 2014, Ukraine 2022",
        passages: &[GEORGIA_2008, CRIMEA_2014, WALT_AGGRESSIVE],
    },
    EventType {
        name: "direct_threat",
        title: "a direct and imminent threat from the great power",
        target: Target::None,
        effects: &[Effect::HostileSignal(3.0), Effect::Imminence(1.0)],
        why: "What a coercion of this state does to its beliefs in the model: the coercion signal (3 Beta counts) \
              and imminence 1. Kuik's condition for leaving the hedge.",
        examples: "none in the two cases (the papers report no direct threat from Russia to either state)",
        passages: &[KUIK_IMMINENT],
    },
    EventType {
        name: "great_power_pressures",
        title: "the great power presses the small state directly",
        target: Target::None,
        effects: &[Effect::HostileSignal(0.5)],
        why: "The evidence of the great power's own pressure action (`beliefs.pressure_signal` = 0.5): a demand, a \
              trade or energy measure, diplomatic pressure.",
        examples: "Moscow's demands on Minsk (recognitions 2008, Crimea 2014, an airbase 2015), the 2016 pressure to \
                   stop the fighting, oil disputes",
        passages: &[MOSCOW_DEMANDS, DIPLOMATIC_PRESSURE_2016],
    },
    EventType {
        name: "great_power_reassures",
        title: "the great power reassures, mediates or signs with the small state",
        target: Target::None,
        effects: &[Effect::HostileSignal(-0.5)],
        why: "The evidence of the great power's reward action (`beliefs.reward_signal` = −0.5): a declaration, a \
              treaty, mediation in the state's favour.",
        examples: "Moscow Declaration 2008, border treaty 2010, Russia staying out of the 2020 war, the 2022 \
                   Declaration on Allied Interaction",
        passages: &[MOSCOW_DECLARATION, ALLIED_INTERACTION_2022],
    },
    EventType {
        name: "great_power_absorbed",
        title: "the great power is absorbed elsewhere",
        target: Target::None,
        effects: &[Effect::Set("great_power.focus", 0.5)],
        why: "Focus 0.5, the low end of the range over which the v2 design asks every fact to hold (focus 0.5–1) and \
              the value of the SF7 test: half of the great power's attention stays on the region. A set, not a \
              shift: a second such event while the first holds changes nothing.",
        examples: "the war in Ukraine from 2022",
        passages: &[ABSORBED_2023, ROOM_2022],
    },
    EventType {
        name: "great_power_refocuses",
        title: "the great power turns its full attention back to the region",
        target: Target::None,
        effects: &[Effect::Set("great_power.focus", 1.0)],
        why: "Focus 1, the high end of the same range: the mirror of `great_power_absorbed`.",
        examples: "Russia's return as a power, signalled by the Munich speech of 2007",
        passages: &[RUSSIA_RETURNS, POWER_DYNAMICS],
    },
    EventType {
        name: "forced_choice",
        title: "a rivalry between the great power and others demands that the state take a side",
        target: Target::None,
        effects: &[Effect::Set("decision.rivalry", 1.5)],
        why: "Rivalry 1.5: half the side-taking pressure of a direct and imminent threat (`decision.imminence_weight` \
              3 × imminence 1), the value of the SF5 test. The papers report no forced choice for either case.",
        examples: "none in the two cases",
        passages: &[LABS_FORCED],
    },
    EventType {
        name: "ally_fails",
        title: "a partner fails a test",
        target: Target::Partner,
        effects: &[Effect::ReliabilitySignal(-1.0)],
        why: "One failed test, the evidence the model takes from a partner that does not deliver when the great \
              power coerces (`Beta::observe`: one count).",
        examples: "the West over Georgia 2008 and Crimea 2014",
        passages: &[GEORGIA_2008, WEST_FAILS_GEORGIA, CRIMEA_2014],
    },
    EventType {
        name: "ally_delivers",
        title: "a partner delivers when tested",
        target: Target::Partner,
        effects: &[Effect::ReliabilitySignal(1.0)],
        why: "One delivered test (`Beta::observe`: one count): the mirror of `ally_fails`.",
        examples: "Turkey in the 2020 war",
        passages: &[TURKEY_2020],
    },
    EventType {
        name: "partner_offer",
        title: "a partner offers more: markets, loans, investment or arms",
        target: Target::Partner,
        effects: &[Effect::Shift("third_powers.<partner>.affinity", 0.1)],
        why: "A partner's support drifts toward its affinity, so an offer raises affinity. By 0.1, half the default \
              affinity (0.2) [choice]: one offer is a step in a relationship, not a new one.",
        examples: "IMF and Chinese loans to Minsk, Turkish arms and exercises 2020, Europe's interest in Azerbaijani \
                   gas from 2022",
        passages: &[LOANS_ELSEWHERE, EUROPE_2022],
    },
    EventType {
        name: "partner_commitment",
        title: "a partner commits itself to the state's defence",
        target: Target::Partner,
        effects: &[Effect::ReliabilitySignal(0.5), Effect::Shift("third_powers.<partner>.affinity", 0.1)],
        why: "An offer (affinity +0.1, as `partner_offer`) and a promise: evidence that the partner would deliver, \
              worth half a test (0.5) [choice], since a promise is not a delivery.",
        examples: "the 2010 Turkish–Azerbaijani Strategic Partnership and Mutual Support Agreement",
        passages: &[TURKEY_TREATY_2010],
    },
    EventType {
        name: "partner_estranged",
        title: "relations with a partner sour",
        target: Target::Partner,
        effects: &[Effect::Shift("third_powers.<partner>.affinity", -0.1)],
        why: "The mirror of `partner_offer`: affinity −0.1.",
        examples: "Western criticism of Baku 2013–14, Minsk's crisis with the EU from 2010",
        passages: &[WEST_CRITICISM, EU_CRISIS],
    },
    EventType {
        name: "legitimacy_gain",
        title: "a domestic reason legitimates one component",
        target: Target::Component,
        effects: &[Effect::Shift("small_state.legit.<component>", 0.1)],
        why: "Kuik's domestic legitimation as a bonus on the component's payoff: +0.1 [choice], about a component's \
              base return in the doctrine table (DD's `ret`), so that legitimacy tilts the mix without deciding it.",
        examples: "the proclaimed 30-30-30 diversification strategy (DD), 2016",
        passages: &[DOMESTIC_LEGITIMATION, THIRTY_THIRTY_THIRTY],
    },
    EventType {
        name: "legitimacy_loss",
        title: "a component loses its domestic legitimacy",
        target: Target::Component,
        effects: &[Effect::Shift("small_state.legit.<component>", -0.1)],
        why: "The mirror of `legitimacy_gain`: −0.1.",
        examples: "the 2020 victory ends the Karabakh leverage that legitimated engaging Moscow (BE, LB)",
        passages: &[TOO_CLOSE, LEVERAGE_ENDS],
    },
    EventType {
        name: "economic_opening",
        title: "an economic opening away from the great power",
        target: Target::None,
        effects: &[Effect::Shift("small_state.dep0", -0.05), Effect::Shift("small_state.dep", -0.05)],
        why: "A new route or market is structural: it moves `dep0`, the level dependence drifts around, and `dep` \
              with it so that it is felt at once. By 0.05 [choice]: one route or market changes one channel of the \
              economy, not the whole relationship.",
        examples: "BTC and BTE pipelines 2006, the Southern Gas Corridor 2020",
        passages: &[PIPELINES, FILTER_ONE],
    },
    EventType {
        name: "deepening_dependence",
        title: "dependence on the great power deepens",
        target: Target::None,
        effects: &[Effect::Shift("small_state.dep0", 0.05), Effect::Shift("small_state.dep", 0.05)],
        why: "The mirror of `economic_opening`: `dep0` and `dep` +0.05.",
        examples: "the Customs Union 2010, the Single Economic Space 2012, the Eurasian Economic Union 2015",
        passages: &[INTEGRATION, MULTI_LEVEL_DEPENDENCE],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_every_type_has_effects_and_passages() {
        for (i, t) in VOCABULARY.iter().enumerate() {
            assert!(VOCABULARY[..i].iter().all(|o| o.name != t.name), "{} twice", t.name);
            assert!(!t.effects.is_empty() && !t.passages.is_empty(), "{}", t.name);
        }
    }

    #[test]
    fn a_type_takes_a_target_exactly_when_its_effects_name_one() {
        for t in VOCABULARY {
            let names_partner = t.effects.iter().any(|e| match e {
                Effect::ReliabilitySignal(_) => true,
                Effect::Set(p, _) | Effect::Shift(p, _) => p.contains(PARTNER),
                _ => false,
            });
            let names_component =
                t.effects.iter().any(|e| matches!(e, Effect::Set(p, _) | Effect::Shift(p, _) if p.contains(COMPONENT)));
            assert_eq!(names_partner, t.target == Target::Partner, "{}", t.name);
            assert_eq!(names_component, t.target == Target::Component, "{}", t.name);
        }
    }

    #[test]
    fn expansion_fills_the_target() {
        let e = EventType::find("partner_commitment").unwrap().expand(Some("Turkey"), None);
        assert_eq!(e.reliability_signal, [("Turkey".to_string(), 0.5)]);
        assert_eq!(e.shift, [("third_powers.Turkey.affinity".to_string(), 0.1)]);
        let e = EventType::find("legitimacy_loss").unwrap().expand(None, Some(Component::BindingEngagement));
        assert_eq!(e.shift, [("small_state.legit.BE".to_string(), -0.1)]);
        assert!(EventType::find("no_such_type").is_none());
    }
}
