//! What the paired benchmarks share (`bench`, `bench-client`, `media-bench`): two sides run
//! back to back in rounds that alternate which goes first, so that a drift of the machine's
//! speed hits both alike, and the rounds' ratios summed up by their median.

/// Runs both sides once, `a` first in even rounds and `b` first in odd ones.
pub fn alternating<A, B, E>(
    round: usize,
    a: impl FnOnce() -> Result<A, E>,
    b: impl FnOnce() -> Result<B, E>,
) -> Result<(A, B), E> {
    if round % 2 == 1 {
        let b = b()?;
        Ok((a()?, b))
    } else {
        let a = a()?;
        Ok((a, b()?))
    }
}

/// The median (the upper one of an even count), least and greatest of some ratios.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

impl Spread {
    /// NaN throughout for no values.
    pub fn of(values: &[f64]) -> Spread {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let at = |index: Option<usize>| index.and_then(|i| sorted.get(i)).copied().unwrap_or(f64::NAN);
        Spread { median: at(Some(sorted.len() / 2)), min: at(Some(0)), max: at(sorted.len().checked_sub(1)) }
    }
}

#[cfg(test)]
mod tests {
    use super::{alternating, Spread};

    #[test]
    fn rounds_alternate_which_side_goes_first() {
        let order = |round| {
            let log = std::cell::RefCell::new(Vec::new());
            let log = &log;
            let side = |name: char| {
                move || {
                    log.borrow_mut().push(name);
                    Ok::<char, ()>(name)
                }
            };
            assert_eq!(alternating(round, side('a'), side('b')), Ok(('a', 'b')));
            log.take()
        };
        assert_eq!(order(0), ['a', 'b']);
        assert_eq!(order(1), ['b', 'a']);
        assert_eq!(alternating::<(), (), _>(1, || Ok(()), || Err("b failed")), Err("b failed"));
    }

    #[test]
    fn spread_of_ratios() {
        assert_eq!(Spread::of(&[0.9, 0.7, 1.1]), Spread { median: 0.9, min: 0.7, max: 1.1 });
        assert_eq!(Spread::of(&[2.0, 1.0]).median, 2.0);
        assert!(Spread::of(&[]).median.is_nan());
    }
}
