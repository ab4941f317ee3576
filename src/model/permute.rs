//! Moving items into a new order in place, each item moved once along the cycles of the
//! permutation. Following a cycle is one chain of reads from scattered memory, which one core
//! cannot hurry; so on more cores the slice is first halved, pair by pair (an item on the wrong
//! side swapped with one on the other, both sides read in order), and each half then follows its
//! own cycles on a core of its own. Ten million incidents took 1.3 s on one core.

use crate::parallel;

/// Fewer items than this are moved on one thread: halving them would cost more than it saves.
const PARALLEL_MIN: usize = 1 << 16;

/// [`permute`] on up to `threads` threads.
pub(crate) fn permute_on<T: Send>(items: &mut [T], order: Vec<u32>, threads: usize) {
    if threads < 2 || items.len() < PARALLEL_MIN {
        return permute(items, order);
    }
    assert_eq!(order.len(), items.len());
    let dest = inverse(&order);
    drop(order);
    permute_to(items, dest, threads);
}

/// Moves the item at `p` to `dest[p]`, on up to `threads` threads.
fn permute_to<T: Send>(items: &mut [T], mut dest: Vec<u32>, threads: usize) {
    if threads < 2 || items.len() < PARALLEL_MIN {
        return permute(items, inverse(&dest));
    }
    let half = items.len() / 2;
    halve(items, &mut dest, half, threads);
    let right_dest: Vec<u32> = dest[half..].iter().map(|&d| d - half as u32).collect();
    dest.truncate(half);
    let (left, right) = items.split_at_mut(half);
    let sides = vec![
        (left, dest, threads / 2),
        (right, right_dest, threads - threads / 2),
    ];
    for done in parallel::map(sides, 2, |_, (items, dest, threads)| {
        permute_to(items, dest, threads)
    }) {
        parallel::raised(done, "moving the incidents into order");
    }
}

/// `order[dest[p]] = p`: the inverse of a permutation of `0..dest.len()`.
fn inverse(dest: &[u32]) -> Vec<u32> {
    let mut order = vec![0u32; dest.len()];
    for (p, &d) in dest.iter().enumerate() {
        order[d as usize] = p as u32;
    }
    order
}

/// Swaps items (and their `dest`) until every item before `half` goes before it: the `k`-th of
/// those before it that go after with the `k`-th of those after it that go before (as many of
/// each), the pairs shared out among the threads. A thread's pairs lie in a stretch of each side
/// that no other thread's do, since both lists ascend.
fn halve<T: Send>(items: &mut [T], dest: &mut [u32], half: usize, threads: usize) {
    let to_right = positions(&dest[..half], 0, threads, |d| d as usize >= half);
    let to_left = positions(&dest[half..], half, threads, |d| (d as usize) < half);
    debug_assert_eq!(to_right.len(), to_left.len(), "as many cross each way");
    let pairs = to_right.len().min(to_left.len());
    let per_job = pairs.div_ceil(threads * 4).max(1);
    let firsts: Vec<usize> = (per_job..pairs).step_by(per_job).collect();
    let (left, right) = items.split_at_mut(half);
    let (left_dest, right_dest) = dest.split_at_mut(half);
    // Where each job's stretch of a side starts, then where they end.
    let starts = |crossing: &[u32], side_start: usize| {
        let firsts = firsts.iter().map(|&k| crossing[k] as usize - side_start);
        std::iter::once(0).chain(firsts).collect::<Vec<usize>>()
    };
    let (left_starts, right_starts) = (starts(&to_right, 0), starts(&to_left, half));
    fn ends(starts: &[usize], len: usize) -> impl Iterator<Item = usize> + '_ {
        starts[1..].iter().copied().chain([len])
    }
    let right_len = right.len();
    let jobs: Vec<_> = parallel::cut_at(left, ends(&left_starts, half))
        .into_iter()
        .zip(parallel::cut_at(left_dest, ends(&left_starts, half)))
        .zip(parallel::cut_at(right, ends(&right_starts, right_len)))
        .zip(parallel::cut_at(right_dest, ends(&right_starts, right_len)))
        .zip(to_right.chunks(per_job).zip(to_left.chunks(per_job)))
        .zip(left_starts.iter().zip(&right_starts))
        .map(|(((((l, ld), r), rd), pairs), (&l0, &r0))| (l, ld, r, rd, pairs, (l0, r0 + half)))
        .collect();
    for done in parallel::map(jobs, threads, |_, (l, ld, r, rd, (ls, rs), (l0, r0))| {
        for (&a, &b) in ls.iter().zip(rs) {
            let (a, b) = (a as usize - l0, b as usize - r0);
            std::mem::swap(&mut l[a], &mut r[b]);
            std::mem::swap(&mut ld[a], &mut rd[b]);
        }
    }) {
        parallel::raised(done, "halving the incidents");
    }
}

/// The positions of `dest` (counted from `offset`) whose value `goes` says, in order, found on
/// up to `threads` threads.
fn positions(
    dest: &[u32],
    offset: usize,
    threads: usize,
    goes: impl Fn(u32) -> bool + Sync,
) -> Vec<u32> {
    let chunk = dest.len().div_ceil(threads * 4).max(1);
    let pieces: Vec<(usize, &[u32])> = dest.chunks(chunk).enumerate().collect();
    let found = parallel::map(pieces, threads, |_, (n, piece)| {
        let base = offset + n * chunk;
        piece
            .iter()
            .enumerate()
            .filter(|&(_, &d)| goes(d))
            .map(|(p, _)| (base + p) as u32)
            .collect::<Vec<u32>>()
    });
    found
        .into_iter()
        .flat_map(|done| parallel::raised(done, "halving the incidents"))
        .collect()
}

/// Puts the item at `order[i]` at position `i`, following each cycle of the permutation with one
/// item held aside, so each item is moved once (a swap would move it three times).
pub(crate) fn permute<T>(items: &mut [T], mut order: Vec<u32>) {
    let n = items.len();
    assert_eq!(order.len(), n);
    debug_assert!({
        let mut seen = vec![false; n];
        order
            .iter()
            .all(|&i| (i as usize) < n && !std::mem::replace(&mut seen[i as usize], true))
    });
    const DONE: u32 = u32::MAX;
    let base = items.as_mut_ptr();
    for start in 0..n {
        let first = order[start];
        if first == DONE || first as usize == start {
            continue;
        }
        // SAFETY: `order` is a permutation of 0..n (built by the caller from the indices, and
        // checked in debug builds), so every index is in bounds and each cycle visits its
        // positions once. The item taken out at `start` leaves a hole that each step fills from
        // the next position, and the last step fills with the item held; nothing in between can
        // panic, so no item is dropped twice or lost.
        unsafe {
            let held = std::ptr::read(base.add(start));
            let mut hole = start;
            loop {
                let next = order[hole] as usize;
                order[hole] = DONE;
                if next == start {
                    std::ptr::write(base.add(hole), held);
                    break;
                }
                std::ptr::copy_nonoverlapping(base.add(next), base.add(hole), 1);
                hole = next;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy as _;

    proptest::proptest! {
        /// Items that own memory land where the permutation says, each once.
        #[test]
        fn a_permutation_moves_each_item_into_its_place(
            order in (0usize..40).prop_flat_map(|n| {
                proptest::strategy::Just((0..n as u32).collect::<Vec<u32>>()).prop_shuffle()
            }),
        ) {
            let mut items: Vec<String> = (0..order.len()).map(|i| format!("item {i}")).collect();
            let expected: Vec<String> = order.iter().map(|&i| format!("item {i}")).collect();
            permute(&mut items, order);
            proptest::prop_assert_eq!(items, expected);
        }
    }

    /// On more threads, items land where one thread puts them, each once: a shuffle, the
    /// reverse (every item crosses), the identity (none does), and one half already in place.
    #[test]
    fn a_permutation_on_more_threads_moves_each_item_into_its_place() {
        let shuffle = |items: &mut [u32], seed: u64| {
            let mut rng = crate::bench::acled_file::Pcg32::new(seed);
            for i in (1..items.len()).rev() {
                items.swap(i, rng.below(i + 1));
            }
        };
        let n = PARALLEL_MIN * 4 + 7;
        let mut shuffled: Vec<u32> = (0..n as u32).collect();
        shuffle(&mut shuffled, 3);
        let mut half_shuffled: Vec<u32> = (0..n as u32).collect();
        shuffle(&mut half_shuffled[n / 2..], 4);
        let orders = [
            shuffled,
            (0..n as u32).rev().collect(),
            (0..n as u32).collect(),
            half_shuffled,
        ];
        for order in orders {
            let expected: Vec<String> = order.iter().map(|&i| format!("item {i}")).collect();
            for threads in [2, 3, 4, 8] {
                let mut items: Vec<String> = (0..n).map(|i| format!("item {i}")).collect();
                permute_on(&mut items, order.clone(), threads);
                assert!(items == expected, "{threads} threads");
            }
        }
    }
}
