//! ARNs in AWS's formats, and reading them back with AWS's InvalidArn messages.

use super::error::ServiceError;

/// A parsed Step Functions ARN: `arn:<partition>:states:<region>:<account>:<kind>:<rest>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn {
    pub partition: String,
    pub region: String,
    pub account: String,
    /// stateMachine, activity, execution, express, mapRun.
    pub kind: String,
    /// Everything after the kind, split on ':'.
    pub parts: Vec<String>,
}

impl Arn {
    pub fn parse(text: &str) -> Result<Arn, ServiceError> {
        let bad_prefix = || ServiceError::invalid_arn(format!("Invalid ARN prefix: {text}"));
        let pieces: Vec<&str> = text.split(':').collect();
        if pieces.len() < 7 || pieces[0] != "arn" || pieces[2] != "states" {
            return Err(bad_prefix());
        }
        if pieces[1].is_empty() || pieces[3].is_empty() || pieces[4].is_empty() {
            return Err(bad_prefix());
        }
        if pieces[6..].iter().any(|p| p.is_empty()) {
            return Err(ServiceError::invalid_arn(text));
        }
        Ok(Arn {
            partition: pieces[1].into(),
            region: pieces[3].into(),
            account: pieces[4].into(),
            kind: pieces[5].into(),
            parts: pieces[6..].iter().map(|s| s.to_string()).collect(),
        })
    }

    /// Parses and checks the kind: a different kind is "Resource type not valid in this context".
    pub fn expect(text: &str, kinds: &[&str]) -> Result<Arn, ServiceError> {
        let arn = Arn::parse(text)?;
        if !kinds.contains(&arn.kind.as_str()) {
            return Err(ServiceError::invalid_arn(format!(
                "Resource type not valid in this context: {}",
                arn.kind
            )));
        }
        Ok(arn)
    }
}

/// Where ARNs are minted: partition, region and account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArnScope {
    pub partition: String,
    pub region: String,
    pub account: String,
}

impl ArnScope {
    fn prefix(&self) -> String {
        format!("arn:{}:states:{}:{}", self.partition, self.region, self.account)
    }
    pub fn state_machine(&self, name: &str) -> String {
        format!("{}:stateMachine:{name}", self.prefix())
    }
    pub fn activity(&self, name: &str) -> String {
        format!("{}:activity:{name}", self.prefix())
    }
    pub fn execution(&self, sm: &str, name: &str) -> String {
        format!("{}:execution:{sm}:{name}", self.prefix())
    }
    pub fn express_execution(&self, sm: &str, name: &str, uuid: &str) -> String {
        format!("{}:express:{sm}:{name}:{uuid}", self.prefix())
    }
    pub fn role(&self, name: &str) -> String {
        format!("arn:{}:iam::{}:role/{name}", self.partition, self.account)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses() {
        let s = ArnScope {
            partition: "aws".into(),
            region: "us-east-1".into(),
            account: "123456789012".into(),
        };
        assert_eq!(s.state_machine("M"), "arn:aws:states:us-east-1:123456789012:stateMachine:M");
        assert_eq!(s.execution("M", "e"), "arn:aws:states:us-east-1:123456789012:execution:M:e");
        assert_eq!(
            s.express_execution("M", "e", "u"),
            "arn:aws:states:us-east-1:123456789012:express:M:e:u"
        );
        let a = Arn::parse(&s.execution("M", "e")).unwrap();
        assert_eq!((a.kind.as_str(), a.parts.len()), ("execution", 2));
    }

    #[test]
    fn refuses_like_aws() {
        assert_eq!(
            Arn::parse("not-an-arn").unwrap_err().message,
            "Invalid Arn: 'Invalid ARN prefix: not-an-arn'"
        );
        let e = Arn::expect("arn:aws:states:us-east-1:1:express:M:e:u", &["execution"]).unwrap_err();
        assert_eq!(e.code, "InvalidArn");
        assert_eq!(e.message, "Invalid Arn: 'Resource type not valid in this context: express'");
    }
}
