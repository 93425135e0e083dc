//! maxResults / nextToken paging, the same for every list operation. A token names the listing it
//! belongs to and the sort key of the last item it returned; the next page starts after that key.
//! Items created or deleted between two pages therefore never make a page repeat or skip one that
//! was there all along (an offset would). A token of another listing, or one that does not decode,
//! is InvalidToken.

use super::error::ServiceError;
use super::request::Request;
use base64::Engine as _;
use std::fmt::Display;
use std::str::FromStr;

/// One page request: how many items, and the key the previous page ended at.
pub struct Cursor {
    pub max: usize,
    after: Option<String>,
    listing: String,
}

/// Reads `maxResults` (0 or absent: 100) and `nextToken` for `listing` (what is listed, so a token
/// from another listing is refused); `token_max` is the operation's nextToken length limit.
pub fn cursor(request: &Request, listing: &str, token_max: usize) -> Result<Cursor, ServiceError> {
    let max = match request.opt_int("maxResults", 0, 1000)? {
        None | Some(0) => 100,
        Some(n) => n as usize,
    };
    let after = match request.opt_string("nextToken", 1, token_max)? {
        None => None,
        Some(token) => Some(decode(token, listing).ok_or_else(ServiceError::invalid_token)?),
    };
    Ok(Cursor { max, after, listing: listing.to_string() })
}

impl Cursor {
    /// The key the previous page ended at, as the listing's key type.
    pub fn after<K: FromStr>(&self) -> Result<Option<K>, ServiceError> {
        self.after.as_deref().map(|k| k.parse().map_err(|_| ServiceError::invalid_token())).transpose()
    }

    /// The page: the first `max` of `items` (the listing's items in its order, from after
    /// [`Cursor::after`]), each made into an answer item by `build`, and the token for the next
    /// page, holding the `key` of the page's last item, when an item is left.
    pub fn page<S, K: Display, T>(
        &self,
        items: impl IntoIterator<Item = S>,
        key: impl Fn(&S) -> K,
        mut build: impl FnMut(&S) -> T,
    ) -> (Vec<T>, Option<String>) {
        let mut items = items.into_iter();
        let mut out = Vec::new();
        let mut last = None;
        for item in items.by_ref().take(self.max) {
            out.push(build(&item));
            last = Some(item);
        }
        let next = match last {
            Some(item) if items.next().is_some() => Some(encode(&key(&item).to_string(), &self.listing)),
            _ => None,
        };
        (out, next)
    }
}

fn encode(key: &str, listing: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("sfnsim|{listing}|{key}"))
}

/// A token of `listing` ending at `key` (tests forge them).
#[cfg(test)]
pub(crate) fn token_for(listing: &str, key: &str) -> String {
    encode(key, listing)
}

fn decode(token: &str, listing: &str) -> Option<String> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(token).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let key = text.strip_prefix("sfnsim|")?.strip_prefix(listing)?.strip_prefix('|')?;
    Some(key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeSet;

    fn list(items: &BTreeSet<u32>, req: &serde_json::Value, listing: &str) -> Result<(Vec<u32>, Option<String>), ServiceError> {
        let c = cursor(&Request(req), listing, 1024)?;
        let after: Option<u32> = c.after()?;
        let keys = items.iter().copied().filter(|k| after.is_none_or(|a| *k > a));
        Ok(c.page(keys, |k| *k, |k| *k))
    }

    #[test]
    fn pages_through_and_refuses_foreign_tokens() {
        let items: BTreeSet<u32> = (0..25).collect();
        let (p1, t1) = list(&items, &json!({"maxResults": 10}), "L").unwrap();
        assert_eq!(p1, (0..10).collect::<Vec<_>>());
        let (p2, t2) = list(&items, &json!({"maxResults": 10, "nextToken": t1.unwrap()}), "L").unwrap();
        assert_eq!(p2[0], 10);
        let (p3, t3) = list(&items, &json!({"maxResults": 10, "nextToken": t2.clone().unwrap()}), "L").unwrap();
        assert_eq!((p3.len(), t3), (5, None));
        assert_eq!(list(&items, &json!({"nextToken": t2.clone().unwrap()}), "M").unwrap_err().code, "InvalidToken");
        // A listing whose name starts like another's does not take its tokens either.
        assert_eq!(list(&items, &json!({"nextToken": t2.unwrap()}), "L|x").unwrap_err().code, "InvalidToken");
        assert_eq!(list(&items, &json!({"nextToken": "xyz"}), "L").unwrap_err().code, "InvalidToken");
        let not_a_key = encode("ten", "L");
        assert_eq!(list(&items, &json!({"nextToken": not_a_key}), "L").unwrap_err().code, "InvalidToken");
        assert_eq!(
            list(&items, &json!({"maxResults": 1001}), "L").unwrap_err().message,
            "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000"
        );
        // Exactly a page: no token for an empty next page.
        let ten: BTreeSet<u32> = (0..10).collect();
        assert_eq!(list(&ten, &json!({"maxResults": 10}), "L").unwrap().1, None);
    }

    #[test]
    fn items_created_or_deleted_between_pages_are_neither_repeated_nor_skipped() {
        let mut items: BTreeSet<u32> = (0..30).map(|i| i * 10).collect();
        let (p1, t1) = list(&items, &json!({"maxResults": 10}), "L").unwrap();
        assert_eq!(p1.last(), Some(&90));
        // Delete one already listed and one not yet listed; create one before the cut and one after.
        items.remove(&50);
        items.remove(&150);
        items.insert(55);
        items.insert(155);
        let (p2, _) = list(&items, &json!({"maxResults": 10, "nextToken": t1.clone().unwrap()}), "L").unwrap();
        assert_eq!(p2, vec![100, 110, 120, 130, 140, 155, 160, 170, 180, 190]);
        // The item the token ended at is gone: the page still starts after it.
        items.remove(&90);
        let (p2b, _) = list(&items, &json!({"maxResults": 2, "nextToken": t1.unwrap()}), "L").unwrap();
        assert_eq!(p2b, vec![100, 110]);
    }
}
