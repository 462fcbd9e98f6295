//! The turn is the inner loop of every sweep: it must not allocate. A counting global allocator
//! (per thread, so the test harness's own threads do not count) checks 1,000 turns after warm-up.

use hedgesim::scenario::{FromFile, Scenario};
use hedgesim::summary::RunSummarizer;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::Path;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

#[test]
fn a_thousand_turns_allocate_nothing() {
    // The Azerbaijan scenario exercises events, two third powers and coercion tests.
    for file in ["scenarios/teaching-dyad.toml", "scenarios/azerbaijan-russia.toml"] {
        let s = Scenario::from_file(Path::new(file)).unwrap();
        let mut world = s.world(3, 0);
        for _ in 0..20 {
            world.step();
        }
        let before = allocations();
        let mut checksum = 0.0;
        for _ in 0..1000 {
            checksum += world.step().payoff;
        }
        let after = allocations();
        assert!(checksum.is_finite());
        assert_eq!(after - before, 0, "{file}: {} allocations in 1,000 turns", after - before);
    }
}

/// A sweep summarises every turn of every run as it goes ([`RunSummarizer`]): that must not
/// allocate either.
#[test]
fn summarising_a_thousand_turns_allocates_nothing() {
    let s = Scenario::from_file(Path::new("scenarios/azerbaijan-russia.toml")).unwrap();
    let mut world = s.world(3, 0);
    let mut summarizer = RunSummarizer::new(10);
    for _ in 0..20 {
        summarizer.observe(&world.step());
    }
    let before = allocations();
    for _ in 0..1000 {
        summarizer.observe(&world.step());
    }
    let after = allocations();
    assert_eq!(after - before, 0, "{} allocations in 1,000 summarised turns", after - before);
    assert_eq!(summarizer.summary().map(|s| s.window_turns), Some(1010));
}

#[test]
fn the_counter_sees_allocations() {
    let before = allocations();
    let v: Vec<u64> = std::hint::black_box(vec![1, 2, 3]);
    assert!(allocations() > before, "the counting allocator must count, or the test above proves nothing");
    drop(v);
}
