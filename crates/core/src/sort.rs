//! One sort for the whole crate and the page.
//!
//! Every `sort_by`/`sort_by_key` call site, and every `collect()` into a `BTreeMap`, makes the
//! compiler emit its own copy of the standard library's sort (several kilobytes of wasm each,
//! about 35 KB for the page in all). The lists sorted here are short (findings, hosts,
//! certificates), so instead the functions below sort a list of *positions* with a comparison
//! behind `&dyn`, which compiles the standard stable sort exactly once, then move the items
//! into that order. The result is the standard stable sort's, equal items keeping their order.

use std::cmp::Ordering;
use std::collections::BTreeMap;

/// `items.sort_by(compare)`: stable.
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_positions(items.len(), &|a, b| match (items.get(a), items.get(b)) {
        (Some(x), Some(y)) => compare(x, y),
        _ => Ordering::Equal,
    });
    permute(items, &order);
}

/// `items.sort_by_key(key)`: stable; `key` runs on every comparison, as in the standard one.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// `items.sort()`. For items whose equal values are indistinguishable (numbers, tuples of
/// them) this is also what `sort_unstable` gives.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// `pairs.into_iter().collect::<BTreeMap<_, _>>()`: for a repeated key the last value wins.
pub fn string_map(pairs: impl IntoIterator<Item = (String, String)>) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for (key, value) in pairs {
        map.insert(key, value);
    }
    map
}

/// Positions `0..len` in the stable order `compare` gives. Not generic, so the standard sort
/// is compiled once.
#[inline(never)]
fn sorted_positions(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Rearranges `items` so that position `k` holds what was at `order[k]`. `order` must be a
/// permutation of `0..items.len()` (it is, from `sorted_positions`). Each step swaps the
/// wanted item into place; an item that was already swapped away is found by following
/// `order` from where it was, since it went to the position that wanted the item it replaced.
fn permute<T>(items: &mut [T], order: &[usize]) {
    for (position, &wanted) in order.iter().enumerate() {
        let mut source = wanted;
        while source < position {
            match order.get(source) {
                Some(&next) => source = next,
                None => return,
            }
        }
        if source < items.len() {
            items.swap(position, source);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    /// A small deterministic generator, so the test needs no RNG crate.
    fn numbers(seed: u64, count: usize, range: u64) -> Vec<u64> {
        let mut state = seed;
        (0..count)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (state >> 33) % range
            })
            .collect()
    }

    #[test]
    fn same_result_as_the_standard_stable_sort() {
        for seed in 0..200 {
            let count = (seed % 40) as usize;
            let keys = numbers(seed, count, 1 + seed % 7);
            // Pair each key with its original position so stability is visible.
            let items: Vec<(u64, usize)> = keys.into_iter().zip(0..).collect();
            let mut ours = items.clone();
            let mut theirs = items.clone();
            sort_by_key(&mut ours, |item| item.0);
            theirs.sort_by_key(|item| item.0);
            assert_eq!(ours, theirs, "seed {seed}");
            let mut ours = items.clone();
            let mut theirs = items;
            sort_by(&mut ours, |a, b| b.0.cmp(&a.0));
            theirs.sort_by_key(|item| std::cmp::Reverse(item.0));
            assert_eq!(ours, theirs, "seed {seed}");
        }
    }

    #[test]
    fn plain_sort_and_string_map() {
        let mut values = numbers(7, 100, 1000);
        let mut expected = values.clone();
        expected.sort_unstable();
        sort(&mut values);
        assert_eq!(values, expected);
        let pairs = vec![
            ("b".to_string(), "1".to_string()),
            ("a".to_string(), "2".to_string()),
            ("b".to_string(), "3".to_string()),
        ];
        let expected: BTreeMap<String, String> = pairs.clone().into_iter().collect();
        assert_eq!(string_map(pairs), expected);
    }
}
