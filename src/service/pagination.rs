//! maxResults / nextToken paging, the same for every list operation. A token names the listing it
//! belongs to and the offset; anything else is InvalidToken.

use super::error::ServiceError;
use super::request::Request;
use base64::Engine as _;

/// One page of `items` for `request`. `listing` identifies what is listed (so a token from another
/// listing is refused); `token_max` is the nextToken length limit of the operation.
pub fn page<T: Clone>(
    items: &[T],
    request: &Request,
    listing: &str,
    token_max: usize,
) -> Result<(Vec<T>, Option<String>), ServiceError> {
    let (range, next) = page_range(items.len(), request, listing, token_max)?;
    Ok((items[range].to_vec(), next))
}

/// Which of `len` items one page holds, and the token for the next: for listings that build
/// their items only for the page (a long history).
pub fn page_range(
    len: usize,
    request: &Request,
    listing: &str,
    token_max: usize,
) -> Result<(std::ops::Range<usize>, Option<String>), ServiceError> {
    let max = match request.opt_int("maxResults", 0, 1000)? {
        None | Some(0) => 100,
        Some(n) => n as usize,
    };
    let start = match request.opt_string("nextToken", 1, token_max)? {
        None => 0,
        Some(token) => decode(token, listing).ok_or_else(ServiceError::invalid_token)?,
    };
    if start > len {
        return Err(ServiceError::invalid_token());
    }
    let end = (start + max).min(len);
    let next = (end < len).then(|| encode(end, listing));
    Ok((start..end, next))
}

fn encode(offset: usize, listing: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("sfnsim|{listing}|{offset}"))
}

fn decode(token: &str, listing: &str) -> Option<usize> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(token).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let rest = text.strip_prefix("sfnsim|")?;
    let (who, offset) = rest.rsplit_once('|')?;
    (who == listing).then(|| offset.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pages_through_and_refuses_foreign_tokens() {
        let items: Vec<u32> = (0..25).collect();
        let r = json!({"maxResults": 10});
        let (p1, t1) = page(&items, &Request(&r), "L", 1024).unwrap();
        assert_eq!(p1, (0..10).collect::<Vec<_>>());
        let r2 = json!({"maxResults": 10, "nextToken": t1.unwrap()});
        let (p2, t2) = page(&items, &Request(&r2), "L", 1024).unwrap();
        assert_eq!(p2[0], 10);
        let r3 = json!({"maxResults": 10, "nextToken": t2.clone().unwrap()});
        let (p3, t3) = page(&items, &Request(&r3), "L", 1024).unwrap();
        assert_eq!((p3.len(), t3), (5, None));
        let other = json!({"nextToken": t2.unwrap()});
        assert_eq!(page(&items, &Request(&other), "M", 1024).unwrap_err().code, "InvalidToken");
        let junk = json!({"nextToken": "xyz"});
        assert_eq!(page(&items, &Request(&junk), "L", 1024).unwrap_err().code, "InvalidToken");
        let big = json!({"maxResults": 1001});
        assert_eq!(
            page(&items, &Request(&big), "L", 1024).unwrap_err().message,
            "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000"
        );
    }
}
