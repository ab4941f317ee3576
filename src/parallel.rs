//! Work split over the cores: jobs handed to a few threads in turn, their results given back in
//! the jobs' order. A job that panics does not take the others with it, and it is never silently
//! missing: its place holds a [`PartFailed`] the caller must deal with (a loader turns it into an
//! error of its load report; the renderer re-raises it).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// The threads worth starting for CPU-bound work: one a core.
pub(crate) fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Threads for work over `items` items: every core from `min` items, one below, where starting
/// threads would cost more than they save.
pub(crate) fn threads_for(items: usize, min: usize) -> usize {
    if items >= min { cores() } else { 1 }
}

/// What a part's job gave; a part that panicked is raised again on this thread, saying what
/// it was `doing`. For work whose failure is a bug, as it was on one thread, not bad input.
pub(crate) fn raised<R>(done: Result<R, PartFailed>, doing: &str) -> R {
    done.unwrap_or_else(|failed| panic!("{doing}: {failed}"))
}

/// `items` cut into the pieces that end at each of `ends` (ascending, the last no further than
/// the items' end), for threads to take one each; items after the last end are in no piece.
pub(crate) fn cut_at<T>(items: &mut [T], ends: impl IntoIterator<Item = usize>) -> Vec<&mut [T]> {
    let mut pieces = Vec::new();
    let mut rest = items;
    let mut start = 0;
    for end in ends {
        debug_assert!(start <= end, "ends ascend");
        let (piece, tail) = rest.split_at_mut(end - start);
        pieces.push(piece);
        rest = tail;
        start = end;
    }
    pieces
}

/// A job whose thread panicked: which one (counted from 0, in the jobs' order) and what it said.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct PartFailed {
    pub part: usize,
    pub message: String,
}

impl std::fmt::Display for PartFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "part {} failed: {}", self.part + 1, self.message)
    }
}

/// Runs `job`, the `part`th item's, turning a panic into a [`PartFailed`].
fn run_part<R>(part: usize, job: impl FnOnce() -> R) -> Result<R, PartFailed> {
    catch_unwind(AssertUnwindSafe(job)).map_err(|payload| PartFailed {
        part,
        message: panic_message(payload.as_ref()),
    })
}

/// The text a panic was raised with.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

/// `job` applied to every item on up to `threads` threads (this one included when there is
/// one thread or one item), each thread taking the next item when it is free; the results in the
/// items' order.
pub(crate) fn map<T, R>(
    items: Vec<T>,
    threads: usize,
    job: impl Fn(usize, T) -> R + Sync,
) -> Vec<Result<R, PartFailed>>
where
    T: Send,
    R: Send,
{
    map_with(items, threads, || (), |_, i, item| job(i, item))
}

/// [`map`] with a state each thread keeps from item to item, made by `init` (and made again
/// after a job that panicked), as [`pipeline`]'s threads keep theirs.
pub(crate) fn map_with<T, R, S>(
    items: Vec<T>,
    threads: usize,
    init: impl Fn() -> S + Sync,
    job: impl Fn(&mut S, usize, T) -> R + Sync,
) -> Vec<Result<R, PartFailed>>
where
    T: Send,
    R: Send,
{
    // One job with its thread's state; a state a panicking job may have left half changed is
    // made again.
    let run = |state: &mut S, i: usize, item: T| {
        let result = run_part(i, || job(state, i, item));
        if result.is_err() {
            *state = init();
        }
        result
    };
    let threads = threads.min(items.len());
    if threads <= 1 {
        let mut state = init();
        return items
            .into_iter()
            .enumerate()
            .map(|(i, item)| run(&mut state, i, item))
            .collect();
    }
    let slots: Vec<Mutex<Option<Result<R, PartFailed>>>> =
        items.iter().map(|_| Mutex::new(None)).collect();
    let count = items.len();
    let items: Vec<Mutex<Option<T>>> = items.into_iter().map(|i| Mutex::new(Some(i))).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut state = init();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        break;
                    }
                    // Each index is taken by one thread only, so these locks never wait.
                    let item = items[i].lock().ok().and_then(|mut item| item.take());
                    let Some(item) = item else { continue };
                    let result = run(&mut state, i, item);
                    if let Ok(mut slot) = slots[i].lock() {
                        *slot = Some(result);
                    }
                }
            });
        }
    });
    slots
        .into_iter()
        .enumerate()
        .map(|(part, slot)| {
            slot.into_inner().ok().flatten().unwrap_or_else(|| {
                Err(PartFailed {
                    part,
                    message: "its thread stopped before giving a result".into(),
                })
            })
        })
        .collect()
}

/// A pipeline: this thread produces items with `produce` (until it gives `None`) while `threads`
/// other threads run `job` on them; each result is handed to `take` on this thread, in the
/// items' order, as soon as it and every one before it are done. At most `threads` items wait
/// to be taken up, so a fast producer does not fill memory.
///
/// Each thread keeps a state of its own from item to item, made by `init` (and made again after
/// a job that panicked, which may have left it half changed): what a thread learnt from one part
/// of a load serves its next parts.
pub(crate) fn pipeline<T, R, S>(
    threads: usize,
    mut produce: impl FnMut() -> Option<T>,
    init: impl Fn() -> S + Sync,
    job: impl Fn(&mut S, usize, T) -> R + Sync,
    mut take: impl FnMut(usize, Result<R, PartFailed>),
) where
    T: Send,
    R: Send,
{
    use std::collections::BTreeMap;
    let threads = threads.max(1);
    let (items, queue) = mpsc::sync_channel::<(usize, T)>(threads);
    let queue = Mutex::new(queue);
    let (done, results) = mpsc::channel::<(usize, Result<R, PartFailed>)>();
    let mut waiting: BTreeMap<usize, Result<R, PartFailed>> = BTreeMap::new();
    let mut next = 0;
    let mut give_ready = |waiting: &mut BTreeMap<usize, Result<R, PartFailed>>| {
        while let Some(result) = waiting.remove(&next) {
            take(next, result);
            next += 1;
        }
    };
    let mut produced = 0;
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (queue, done, job, init) = (&queue, done.clone(), &job, &init);
            scope.spawn(move || {
                let mut state = init();
                loop {
                    // A poisoned lock is impossible (nothing panics holding it); stop if it is.
                    let next = match queue.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => break,
                    };
                    let Ok((part, item)) = next else { break };
                    let result = run_part(part, || job(&mut state, part, item));
                    if result.is_err() {
                        state = init();
                    }
                    if done.send((part, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done);
        while let Some(item) = produce() {
            if items.send((produced, item)).is_err() {
                break;
            }
            produced += 1;
            waiting.extend(results.try_iter());
            give_ready(&mut waiting);
        }
        drop(items);
        for (part, result) in results.iter() {
            waiting.insert(part, result);
            give_ready(&mut waiting);
        }
    });
    // Every item sent was run and its result given (a panicking job gives a PartFailed).
    debug_assert_eq!(next, produced, "a part's result was lost");
    debug_assert!(waiting.is_empty());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_keeps_the_order_and_reports_a_failed_part() {
        for threads in [1, 2, 3, 8] {
            let results = map((0..20).collect(), threads, |i, x: i32| {
                assert_ne!(x, 13, "thirteen");
                (i as i32) * 100 + x
            });
            assert_eq!(results.len(), 20);
            for (i, result) in results.iter().enumerate() {
                match i {
                    13 => {
                        let failed = result.as_ref().err().cloned();
                        assert_eq!(failed.as_ref().map(|f| f.part), Some(13));
                        assert!(
                            failed.is_some_and(|f| f.message.contains("thirteen")),
                            "{result:?}"
                        );
                    }
                    _ => assert_eq!(result.as_ref().ok(), Some(&(i as i32 * 101))),
                }
            }
        }
    }

    #[test]
    fn pipeline_gives_every_result_in_order() {
        for threads in [1, 2, 4] {
            let mut source = 0..50;
            let mut seen = Vec::new();
            pipeline(
                threads,
                || source.next(),
                || (),
                |(), _, x: usize| {
                    assert_ne!(x, 7, "seven");
                    x * 2
                },
                |part, result| seen.push((part, result.map_err(|f| f.part))),
            );
            let expected: Vec<(usize, Result<usize, usize>)> = (0..50)
                .map(|i| (i, if i == 7 { Err(7) } else { Ok(i * 2) }))
                .collect();
            assert_eq!(seen, expected, "{threads} threads");
        }
    }

    #[test]
    fn cut_at_gives_the_pieces_up_to_each_end() {
        let mut items = [1, 2, 3, 4, 5, 6];
        let pieces = cut_at(&mut items, [2, 2, 5]);
        let pieces: Vec<Vec<i32>> = pieces.into_iter().map(|p| p.to_vec()).collect();
        assert_eq!(pieces, [vec![1, 2], vec![], vec![3, 4, 5]]);
        assert!(cut_at(&mut items, []).is_empty());
    }

    /// A thread's state goes on from item to item, and starts again after an item that failed.
    #[test]
    fn pipeline_threads_keep_their_state() {
        for threads in [1, 2, 3] {
            let mut source = 0..40;
            let mut seen = Vec::new();
            pipeline(
                threads,
                || source.next(),
                Vec::new,
                remember_all_but_nine,
                |_, result| seen.push(result.ok()),
            );
            assert_threads_kept_their_state(&seen, threads);
        }
    }

    #[test]
    fn map_threads_keep_their_state() {
        for threads in [1, 2, 3] {
            let seen: Vec<Option<Vec<usize>>> =
                map_with((0..40).collect(), threads, Vec::new, remember_all_but_nine)
                    .into_iter()
                    .map(Result::ok)
                    .collect();
            assert_threads_kept_their_state(&seen, threads);
        }
    }

    /// A job that adds its item to its thread's state and gives the state, and fails on 9.
    fn remember_all_but_nine(items: &mut Vec<usize>, _: usize, x: usize) -> Vec<usize> {
        items.push(x);
        assert_ne!(x, 9, "nine");
        items.clone()
    }

    /// What 40 items of [`remember_all_but_nine`] give when each thread kept its state.
    fn assert_threads_kept_their_state(seen: &[Option<Vec<usize>>], threads: usize) {
        assert_eq!(seen.len(), 40);
        assert!(seen[9].is_none());
        for (x, items) in seen.iter().enumerate().filter(|(x, _)| *x != 9) {
            let items = items.as_ref().expect("done");
            // The item last, after earlier items of the same thread, in order.
            assert_eq!(items.last(), Some(&x));
            assert!(items.windows(2).all(|w| w[0] < w[1]), "{items:?}");
            // The failed item's thread started again, without it.
            assert!(!items.contains(&9));
        }
        if threads == 1 {
            assert_eq!(seen[8].as_ref().map(Vec::len), Some(9));
            assert_eq!(seen[10].as_ref().map(Vec::len), Some(1), "made again");
        }
    }
}
