//! Unique identifiers: the version-4 UUID of States.UUID (also JSONata's `$uuid` and the
//! service's execution names and tokens).

use super::encoding::hex_lower;

/// A version-4 UUID, lowercase, from 128 random bits (States.UUID, JSONata's $uuid, the
/// service's execution names and tokens).
pub fn uuid_v4(a: u64, b: u64) -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&a.to_be_bytes());
    bytes[8..].copy_from_slice(&b.to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let h = hex_lower(&bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::super::tests::ok;
    use super::*;
    use serde_json::json;

    #[test]
    fn uuid_is_v4_lowercase_and_seeded() {
        // [rec intrinsic_functions/test_unique_id_generation.py::TestUniqueIdGeneration::test_uuid]: value replaced by the recorder.
        let v = ok("States.UUID()", json!({}));
        let s = v.as_str().unwrap();
        assert_eq!(s.len(), 36);
        let groups: Vec<&str> = s.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            vec![8, 4, 4, 4, 12]
        );
        assert!(s
            .chars()
            .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)));
        assert!(groups[2].starts_with('4'));
        assert!(matches!(
            groups[3].chars().next(),
            Some('8' | '9' | 'a' | 'b')
        ));
        assert_eq!(uuid_v4(0, 0), "00000000-0000-4000-8000-000000000000");
        assert_eq!(
            uuid_v4(u64::MAX, u64::MAX),
            "ffffffff-ffff-4fff-bfff-ffffffffffff"
        );
        // Deterministic for a given environment.
        assert_eq!(ok("States.UUID()", json!({})), v);
    }
}
