//! Encoding, decoding and hashing: States.Base64Encode, States.Base64Decode (as leniently as
//! Apache Commons Codec) and States.Hash.

use super::java::java_to_string;
use super::{arg, Call, IntrinsicError, MAX_STRING_LENGTH};
use serde_json::Value;

impl Call {
    /// States.Base64Encode: UTF-8 bytes, standard alphabet with padding [rec
    /// intrinsic_functions/test_encode_decode.py::TestEncodeDecode::test_base_64_encode#exec_hist_resp_1];
    /// strings only, at most 10,000 characters [aws-obs].
    pub(super) fn base64_encode(&self, a: &[Value]) -> Result<Value, IntrinsicError> {
        use base64::Engine as _;
        let s = self.limited_string(arg(a, 0))?;
        Ok(Value::String(
            base64::engine::general_purpose::STANDARD.encode(s.as_bytes()),
        ))
    }

    /// States.Base64Decode: decoded as leniently as Apache Commons Codec does [aws-obs: AWS
    /// decodes `!!!invalid!!!`, `abc`, `ab==cd` and ` YWJjZA== ` without failing]; the bytes are
    /// read as UTF-8 with replacement characters [guess].
    pub(super) fn base64_decode(&self, a: &[Value]) -> Result<Value, IntrinsicError> {
        let s = self.limited_string(arg(a, 0))?;
        let bytes = lenient_base64_decode(s);
        Ok(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    }

    /// States.Hash: lowercase hex of MD5/SHA-1/SHA-256/SHA-384/SHA-512 over the UTF-8 bytes [rec
    /// intrinsic_functions/test_hash_calculations.py::TestHashCalculations::test_hash#exec_hist_resp_0..4];
    /// algorithm names are exact (no `sha-256`, `SHA256`) [aws-obs]; non-string data is hashed as
    /// its Java `toString` [aws-obs: AWS accepts numbers and objects; the exact text is a guess].
    pub(super) fn hash(&self, a: &[Value]) -> Result<Value, IntrinsicError> {
        use sha2::Digest as _;
        let data = match arg(a, 0) {
            Value::String(s) => s.clone(),
            other => {
                let mut s = String::new();
                java_to_string(other, &mut s);
                s
            }
        };
        if utf16_len(&data) > MAX_STRING_LENGTH {
            return Err(self.invalid());
        }
        let Value::String(alg) = arg(a, 1) else {
            return Err(self.invalid());
        };
        let bytes = data.as_bytes();
        let digest: Vec<u8> = match alg.as_str() {
            "MD5" => md5::Md5::digest(bytes).to_vec(),
            "SHA-1" => sha1::Sha1::digest(bytes).to_vec(),
            "SHA-256" => sha2::Sha256::digest(bytes).to_vec(),
            "SHA-384" => sha2::Sha384::digest(bytes).to_vec(),
            "SHA-512" => sha2::Sha512::digest(bytes).to_vec(),
            _ => return Err(self.invalid()),
        };
        Ok(Value::String(hex_lower(&digest)))
    }

    /// A string argument of at most [`MAX_STRING_LENGTH`] UTF-16 units.
    fn limited_string<'v>(&self, v: &'v Value) -> Result<&'v str, IntrinsicError> {
        match v {
            Value::String(s) if utf16_len(s) <= MAX_STRING_LENGTH => Ok(s),
            _ => Err(self.invalid()),
        }
    }
}

/// Apache Commons Codec `Base64.decodeBase64`: characters outside both alphabets (standard and
/// URL-safe) are skipped, the first `=` ends the input, a trailing partial group yields the whole
/// bytes it holds.
fn lenient_base64_decode(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3 + 2);
    let mut acc: u32 = 0;
    let mut n = 0u8;
    for b in s.bytes() {
        let v = match b {
            b'=' => break,
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(v);
        n += 1;
        if n == 4 {
            out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
            acc = 0;
            n = 0;
        }
    }
    match n {
        2 => out.push((acc >> 4) as u8),
        3 => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
        _ => {}
    }
    out
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

pub(super) fn hex_lower(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[usize::from(b >> 4)] as char);
        s.push(HEX[usize::from(b & 0xf)] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::super::tests::{fails, invalid, ok, run};
    use serde_json::json;

    #[test]
    fn base64_encode() {
        // [rec intrinsic_functions/test_encode_decode.py::TestEncodeDecode::test_base_64_encode#exec_hist_resp_0 and #1]
        assert_eq!(
            ok(
                "States.Base64Encode($.FunctionInput)",
                json!({"FunctionInput": ""})
            ),
            json!("")
        );
        assert_eq!(
            ok(
                "States.Base64Encode($.FunctionInput)",
                json!({"FunctionInput": "Data to encode"})
            ),
            json!("RGF0YSB0byBlbmNvZGU=")
        );
        // [aws-obs]
        assert_eq!(
            ok("States.Base64Encode('🚀')", json!({})),
            json!("8J+agA==")
        );
        assert_eq!(
            ok("States.Base64Encode($.s)", json!({"s": "こんにちは"})),
            json!("44GT44KT44Gr44Gh44Gv")
        );
        assert!(run("States.Base64Encode($.s)", json!({"s": "a".repeat(10_000)})).is_ok());
        assert_eq!(
            fails("States.Base64Encode($.s)", json!({"s": "a".repeat(10_001)})).cause,
            invalid("Base64Encode")
        );
        // Length counts UTF-16 units, as Java does.
        assert!(run("States.Base64Encode($.s)", json!({"s": "🚀".repeat(5_001)})).is_err());
        assert_eq!(
            fails("States.Base64Encode(123)", json!({})).cause,
            invalid("Base64Encode")
        );
        assert_eq!(
            fails("States.Base64Encode($.o)", json!({"o": {}})).cause,
            invalid("Base64Encode")
        );
    }

    #[test]
    fn base64_decode() {
        // [rec intrinsic_functions/test_encode_decode.py::TestEncodeDecode::test_base_64_decode#exec_hist_resp_1]
        assert_eq!(
            ok(
                "States.Base64Decode($.FunctionInput)",
                json!({"FunctionInput": "RGF0YSB0byBlbmNvZGU="})
            ),
            json!("Data to encode")
        );
        // [rec ...test_reference_assign[BASE_REFERENCE_IN_INTRINSIC_FUNCTION]]
        assert_eq!(
            ok("States.Base64Decode('SGVsbG8gV29ybGQ=')", json!({})),
            json!("Hello World")
        );
        // [aws-obs]
        assert_eq!(ok("States.Base64Decode('')", json!({})), json!(""));
        assert_eq!(ok("States.Base64Decode('4pyT')", json!({})), json!("✓"));
        assert_eq!(
            ok("States.Base64Decode('YWJjAGRlZg==')", json!({})),
            json!("abc\u{0}def")
        );
        assert_eq!(
            ok("States.Base64Decode(' YWJjZA== ')", json!({})),
            json!("abcd")
        );
        assert_eq!(
            ok("States.Base64Decode('YWJjZA')", json!({})),
            json!("abcd")
        );
        assert_eq!(ok("States.Base64Decode('ab==cd')", json!({})), json!("i"));
        assert_eq!(
            ok(
                "States.Base64Decode(States.Base64Encode($.s))",
                json!({"s": "héllo"})
            ),
            json!("héllo")
        );
        assert!(run("States.Base64Decode('!!!invalid!!!')", json!({})).is_ok());
        assert!(run("States.Base64Decode($.s)", json!({"s": "A".repeat(10_000)})).is_ok());
        assert_eq!(
            fails("States.Base64Decode($.s)", json!({"s": "A".repeat(10_001)})).cause,
            invalid("Base64Decode")
        );
        assert_eq!(
            fails("States.Base64Decode(123)", json!({})).cause,
            invalid("Base64Decode")
        );
    }

    #[test]
    fn hash() {
        // [rec intrinsic_functions/test_hash_calculations.py::TestHashCalculations::test_hash#exec_hist_resp_0..4]
        let t = "States.Hash($.FunctionInput.fst, $.FunctionInput.snd)";
        for (alg, hex) in [
            ("MD5", "812f45842bc6d66ee14572ce20db8e86"),
            ("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"),
            ("SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
            ("SHA-384", "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562"),
            ("SHA-512", "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4"),
        ] {
            assert_eq!(ok(t, json!({"FunctionInput": {"fst": "input data", "snd": alg}})), json!(hex), "{alg}");
        }
        // [rec ...test_reference_assign[BASE_REFERENCE_IN_INTRINSIC_FUNCTION]]
        assert_eq!(
            ok("States.Hash('Hash this string', 'SHA-256')", json!({})),
            json!("1cac63f39fd68d8c531f27b807610fb3d50f0fc3f186995767fb6316e7200a3e")
        );
        // [aws-obs]
        assert_eq!(
            ok("States.Hash($.s, 'SHA-256')", json!({"s": "✓"})),
            json!("1dabba21cdad44541f6b15796f8d22978fc7ea10c46aeceeeeb66c23b3ac7604")
        );
        assert_eq!(
            ok(
                "States.Hash(States.Format('{}:{}', $.a, $.b), 'SHA-256')",
                json!({"a": "x", "b": "y"})
            ),
            json!("1274e286686b54fe765ec40735665b4bf789cee2a5b22124c5e0491a88e15271")
        );
        assert!(run("States.Hash($.s, 'MD5')", json!({"s": "a".repeat(10_000)})).is_ok());
        assert_eq!(
            ok("States.Hash(123, 'MD5')", json!({})),
            ok("States.Hash('123', 'MD5')", json!({}))
        );
        for bad in ["'sha-256'", "'SHA256'", "'MD-5'", "''", "123", "'SHA-257'"] {
            assert_eq!(
                fails(&format!("States.Hash('data', {bad})"), json!({})).cause,
                invalid("Hash"),
                "{bad}"
            );
        }
        assert_eq!(
            fails("States.Hash($.s, 'MD5')", json!({"s": "a".repeat(10_001)})).cause,
            invalid("Hash")
        );
    }
}
