//! AWS's bound on workers polling one activity at once: the 1,001st concurrent GetActivityTask
//! on an activity is refused with ActivityWorkerLimitExceeded (aws-facts §3.14).

use sfnsim::service::ServiceError;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

pub const MAX_POLLERS_PER_ACTIVITY: usize = 1000;

static POLLING: Mutex<Option<HashMap<String, usize>>> = Mutex::new(None);

fn polling() -> MutexGuard<'static, Option<HashMap<String, usize>>> {
    POLLING.lock().unwrap_or_else(|p| p.into_inner())
}

/// One worker's place among an activity's pollers; dropping it (the poll answered, or its client
/// gone) frees the place.
pub struct Poller {
    arn: String,
}

impl Poller {
    pub fn enter(arn: &str) -> Result<Poller, ServiceError> {
        let mut guard = polling();
        let count = guard.get_or_insert_with(HashMap::new).entry(arn.to_string()).or_insert(0);
        if *count >= MAX_POLLERS_PER_ACTIVITY {
            return Err(ServiceError::new(
                "ActivityWorkerLimitExceeded",
                "The maximum number of workers concurrently polling for activity tasks has been reached.",
            ));
        }
        *count += 1;
        Ok(Poller { arn: arn.to_string() })
    }
}

impl Drop for Poller {
    fn drop(&mut self) {
        if let Some(map) = polling().as_mut() {
            if let Some(n) = map.get_mut(&self.arn) {
                *n -= 1;
                if *n == 0 {
                    map.remove(&self.arn);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_1001st_poller_of_one_activity_is_refused_until_one_leaves() {
        let arn = "arn:aws:states:us-east-1:123456789012:activity:pollers-test";
        let mut in_flight: Vec<Poller> = (0..MAX_POLLERS_PER_ACTIVITY).map(|_| Poller::enter(arn).unwrap()).collect();
        let e = Poller::enter(arn).err().unwrap();
        assert_eq!(e.code, "ActivityWorkerLimitExceeded");
        let other = Poller::enter("arn:aws:states:us-east-1:123456789012:activity:pollers-other");
        assert!(other.is_ok(), "the bound is per activity");
        in_flight.pop();
        assert!(Poller::enter(arn).is_ok());
    }
}
