//! Huawei Cloud's public regions and their DRS and IAM endpoints.
//!
//! The reference leaves its endpoint table (appendix A.7) empty and sends the reader to the
//! Regions and Endpoints page. The table here holds what the official Python SDKs publish, as of
//! `huaweicloudsdkdrs` 3.1.219, `huaweicloudsdkiam` 3.1.219 and `huaweicloudsdkcore` 3.1.219:
//!
//! - the DRS endpoint of a region is the one the DRS package lists for it (its v3 and v5 region
//!   lists agree);
//! - the IAM endpoint is the one the IAM package lists; for the six regions whose DRS endpoint
//!   is published but whose IAM endpoint is not, it is the global IAM endpoint
//!   [`GLOBAL_IAM_ENDPOINT`], which the SDKs' core package uses for a region its IAM list lacks.
//!
//! Most regions follow the pattern `https://drs.{region}.myhuaweicloud.com` and
//! `https://iam.{region}.myhuaweicloud.com`. The exceptions are `eu-west-101`, served from
//! `myhuaweicloud.eu` for both services, and the regions whose IAM endpoint is the global one.
//!
//! `scripts/regions.py` compares this table with an installed SDK (maintainers run it by hand;
//! no build or test needs it).

/// A region and the endpoints that serve it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Region {
    /// The region id, such as `cn-north-4`. It is also the name of the IAM project of the
    /// region, in which tokens are scoped and the project id is looked up.
    pub id: &'static str,
    /// The base URL of DRS in the region.
    pub drs_endpoint: &'static str,
    /// The base URL of the IAM endpoint that issues tokens for the region and lists its
    /// projects.
    pub iam_endpoint: &'static str,
}

/// IAM's global endpoint, which serves every region of the `myhuaweicloud.com` cloud.
pub const GLOBAL_IAM_ENDPOINT: &str = "https://iam.myhuaweicloud.com";

/// Every region the official SDKs list, by id in byte order.
pub static REGIONS: &[Region] = &[
    Region {
        id: "ae-ad-1",
        drs_endpoint: "https://drs.ae-ad-1.myhuaweicloud.com",
        iam_endpoint: "https://iam.ae-ad-1.myhuaweicloud.com",
    },
    Region {
        id: "af-north-1",
        drs_endpoint: "https://drs.af-north-1.myhuaweicloud.com",
        iam_endpoint: GLOBAL_IAM_ENDPOINT,
    },
    Region {
        id: "af-south-1",
        drs_endpoint: "https://drs.af-south-1.myhuaweicloud.com",
        iam_endpoint: "https://iam.af-south-1.myhuaweicloud.com",
    },
    Region {
        id: "ap-southeast-1",
        drs_endpoint: "https://drs.ap-southeast-1.myhuaweicloud.com",
        iam_endpoint: "https://iam.ap-southeast-1.myhuaweicloud.com",
    },
    Region {
        id: "ap-southeast-2",
        drs_endpoint: "https://drs.ap-southeast-2.myhuaweicloud.com",
        iam_endpoint: "https://iam.ap-southeast-2.myhuaweicloud.com",
    },
    Region {
        id: "ap-southeast-3",
        drs_endpoint: "https://drs.ap-southeast-3.myhuaweicloud.com",
        iam_endpoint: "https://iam.ap-southeast-3.myhuaweicloud.com",
    },
    Region {
        id: "ap-southeast-4",
        drs_endpoint: "https://drs.ap-southeast-4.myhuaweicloud.com",
        iam_endpoint: "https://iam.ap-southeast-4.myhuaweicloud.com",
    },
    Region {
        id: "ap-southeast-5",
        drs_endpoint: "https://drs.ap-southeast-5.myhuaweicloud.com",
        iam_endpoint: GLOBAL_IAM_ENDPOINT,
    },
    Region {
        id: "cn-east-2",
        drs_endpoint: "https://drs.cn-east-2.myhuaweicloud.com",
        iam_endpoint: "https://iam.cn-east-2.myhuaweicloud.com",
    },
    Region {
        id: "cn-east-3",
        drs_endpoint: "https://drs.cn-east-3.myhuaweicloud.com",
        iam_endpoint: "https://iam.cn-east-3.myhuaweicloud.com",
    },
    Region {
        id: "cn-east-4",
        drs_endpoint: "https://drs.cn-east-4.myhuaweicloud.com",
        iam_endpoint: "https://iam.cn-east-4.myhuaweicloud.com",
    },
    Region {
        id: "cn-east-5",
        drs_endpoint: "https://drs.cn-east-5.myhuaweicloud.com",
        iam_endpoint: "https://iam.cn-east-5.myhuaweicloud.com",
    },
    Region {
        id: "cn-north-1",
        drs_endpoint: "https://drs.cn-north-1.myhuaweicloud.com",
        iam_endpoint: "https://iam.cn-north-1.myhuaweicloud.com",
    },
    Region {
        id: "cn-north-11",
        drs_endpoint: "https://drs.cn-north-11.myhuaweicloud.com",
        iam_endpoint: GLOBAL_IAM_ENDPOINT,
    },
    Region {
        id: "cn-north-12",
        drs_endpoint: "https://drs.cn-north-12.myhuaweicloud.com",
        iam_endpoint: "https://iam.cn-north-12.myhuaweicloud.com",
    },
    Region {
        id: "cn-north-2",
        drs_endpoint: "https://drs.cn-north-2.myhuaweicloud.com",
        iam_endpoint: "https://iam.cn-north-2.myhuaweicloud.com",
    },
    Region {
        id: "cn-north-4",
        drs_endpoint: "https://drs.cn-north-4.myhuaweicloud.com",
        iam_endpoint: "https://iam.cn-north-4.myhuaweicloud.com",
    },
    Region {
        id: "cn-north-9",
        drs_endpoint: "https://drs.cn-north-9.myhuaweicloud.com",
        iam_endpoint: "https://iam.cn-north-9.myhuaweicloud.com",
    },
    Region {
        id: "cn-south-1",
        drs_endpoint: "https://drs.cn-south-1.myhuaweicloud.com",
        iam_endpoint: "https://iam.cn-south-1.myhuaweicloud.com",
    },
    Region {
        id: "cn-south-2",
        drs_endpoint: "https://drs.cn-south-2.myhuaweicloud.com",
        iam_endpoint: "https://iam.cn-south-2.myhuaweicloud.com",
    },
    Region {
        id: "cn-south-4",
        drs_endpoint: "https://drs.cn-south-4.myhuaweicloud.com",
        iam_endpoint: GLOBAL_IAM_ENDPOINT,
    },
    Region {
        id: "cn-southwest-2",
        drs_endpoint: "https://drs.cn-southwest-2.myhuaweicloud.com",
        iam_endpoint: "https://iam.cn-southwest-2.myhuaweicloud.com",
    },
    Region {
        id: "cn-southwest-3",
        drs_endpoint: "https://drs.cn-southwest-3.myhuaweicloud.com",
        iam_endpoint: GLOBAL_IAM_ENDPOINT,
    },
    Region {
        id: "eu-west-0",
        drs_endpoint: "https://drs.eu-west-0.myhuaweicloud.com",
        iam_endpoint: "https://iam.eu-west-0.myhuaweicloud.com",
    },
    Region {
        id: "eu-west-101",
        drs_endpoint: "https://drs.eu-west-101.myhuaweicloud.eu",
        iam_endpoint: "https://iam.eu-west-101.myhuaweicloud.eu",
    },
    Region {
        id: "la-north-2",
        drs_endpoint: "https://drs.la-north-2.myhuaweicloud.com",
        iam_endpoint: "https://iam.la-north-2.myhuaweicloud.com",
    },
    Region {
        id: "la-south-2",
        drs_endpoint: "https://drs.la-south-2.myhuaweicloud.com",
        iam_endpoint: "https://iam.la-south-2.myhuaweicloud.com",
    },
    Region {
        id: "me-east-1",
        drs_endpoint: "https://drs.me-east-1.myhuaweicloud.com",
        iam_endpoint: "https://iam.me-east-1.myhuaweicloud.com",
    },
    Region {
        id: "my-kualalumpur-1",
        drs_endpoint: "https://drs.my-kualalumpur-1.myhuaweicloud.com",
        iam_endpoint: "https://iam.my-kualalumpur-1.myhuaweicloud.com",
    },
    Region {
        id: "na-mexico-1",
        drs_endpoint: "https://drs.na-mexico-1.myhuaweicloud.com",
        iam_endpoint: "https://iam.na-mexico-1.myhuaweicloud.com",
    },
    Region {
        id: "ru-moscow-1",
        drs_endpoint: "https://drs.ru-moscow-1.myhuaweicloud.com",
        iam_endpoint: "https://iam.ru-moscow-1.myhuaweicloud.com",
    },
    Region {
        id: "ru-northwest-2",
        drs_endpoint: "https://drs.ru-northwest-2.myhuaweicloud.com",
        iam_endpoint: GLOBAL_IAM_ENDPOINT,
    },
    Region {
        id: "sa-brazil-1",
        drs_endpoint: "https://drs.sa-brazil-1.myhuaweicloud.com",
        iam_endpoint: "https://iam.sa-brazil-1.myhuaweicloud.com",
    },
    Region {
        id: "tr-west-1",
        drs_endpoint: "https://drs.tr-west-1.myhuaweicloud.com",
        iam_endpoint: "https://iam.tr-west-1.myhuaweicloud.com",
    },
];

/// The region `id`, when the table lists it.
pub fn lookup(id: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|region| region.id == id)
}

/// Checks that `id` is shaped like a region id (lower-case letters, digits and `-`, such as
/// `cn-north-4`), since an id the table lacks becomes part of a host name.
pub fn check_id(id: &str) -> Result<(), crate::ConfigError> {
    let shaped = !id.is_empty()
        && id
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-');
    if shaped {
        Ok(())
    } else {
        Err(crate::ConfigError::new(format!(
            "invalid region {id:?}: expected a region id such as cn-north-4 (lower-case letters, \
             digits and `-`)"
        )))
    }
}

/// Every listed region.
pub fn all() -> impl ExactSizeIterator<Item = &'static Region> {
    REGIONS.iter()
}

/// The DRS endpoint of `region`: the table's, or for a region the table lacks (one opened after
/// the SDK release the table was taken from, say), `https://drs.{region}.myhuaweicloud.com`,
/// the pattern that every listed region but `eu-west-101` follows. The guess may name a host
/// that does not exist; set the endpoint explicitly for such a region.
pub fn drs_endpoint(region: &str) -> String {
    match lookup(region) {
        Some(listed) => listed.drs_endpoint.to_string(),
        None => format!("https://drs.{region}.myhuaweicloud.com"),
    }
}

/// The IAM endpoint of `region`: the table's, or for a region the table lacks,
/// `https://iam.{region}.myhuaweicloud.com`, the pattern of the regions the IAM package lists.
/// The official SDKs would use [`GLOBAL_IAM_ENDPOINT`] there instead; set the IAM endpoint
/// explicitly when the guess does not answer.
pub fn iam_endpoint(region: &str) -> String {
    match lookup(region) {
        Some(listed) => listed.iam_endpoint.to_string(),
        None => format!("https://iam.{region}.myhuaweicloud.com"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_ids_are_checked_before_they_become_host_names() {
        for bad in ["", "no such region!", "CN-NORTH-4", "-cn", "cn."] {
            let error = check_id(bad).unwrap_err().to_string();
            assert!(error.contains("invalid region"), "{bad:?}: {error}");
        }
        for good in ["cn-north-4", "eu-west-101", "ap-southeast-1"] {
            assert!(check_id(good).is_ok(), "{good}");
        }
    }

    /// The host of an `https://` URL with no path, or `None` when `url` is anything else.
    fn https_host(url: &str) -> Option<&str> {
        let host = url.strip_prefix("https://")?;
        let labels_ok = host.split('.').count() >= 3
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            });
        labels_ok.then_some(host)
    }

    #[test]
    fn every_endpoint_is_an_https_url_with_a_host() {
        assert_eq!(REGIONS.len(), 34);
        for region in all() {
            for endpoint in [region.drs_endpoint, region.iam_endpoint] {
                assert!(
                    https_host(endpoint).is_some(),
                    "{}: {endpoint:?} is not an https URL naming a host",
                    region.id
                );
                let parsed = reqwest::Url::parse(endpoint).unwrap();
                assert_eq!(parsed.scheme(), "https");
                assert_eq!(parsed.path(), "/", "{endpoint}");
            }
            assert!(
                https_host(region.drs_endpoint).unwrap().starts_with("drs."),
                "{}",
                region.id
            );
            assert!(
                https_host(region.iam_endpoint).unwrap().starts_with("iam."),
                "{}",
                region.id
            );
        }
        assert_eq!(https_host("http://drs.cn-north-4.myhuaweicloud.com"), None);
        assert_eq!(
            https_host("https://drs.cn-north-4.myhuaweicloud.com/v3"),
            None
        );
    }

    #[test]
    fn ids_are_unique_and_in_byte_order() {
        for pair in REGIONS.windows(2) {
            assert!(
                pair[0].id < pair[1].id,
                "{} then {}",
                pair[0].id,
                pair[1].id
            );
        }
    }

    #[test]
    fn eu_west_101_is_served_from_myhuaweicloud_eu() {
        // As huaweicloudsdkdrs and huaweicloudsdkiam 3.1.219 list it.
        assert_eq!(
            drs_endpoint("eu-west-101"),
            "https://drs.eu-west-101.myhuaweicloud.eu"
        );
        assert_eq!(
            iam_endpoint("eu-west-101"),
            "https://iam.eu-west-101.myhuaweicloud.eu"
        );
    }

    #[test]
    fn regions_without_a_published_iam_endpoint_use_the_global_one() {
        // Listed by huaweicloudsdkdrs 3.1.219, absent from huaweicloudsdkiam 3.1.219.
        let drs_only = [
            "af-north-1",
            "ap-southeast-5",
            "cn-north-11",
            "cn-south-4",
            "cn-southwest-3",
            "ru-northwest-2",
        ];
        for id in drs_only {
            assert_eq!(iam_endpoint(id), "https://iam.myhuaweicloud.com", "{id}");
            assert_eq!(
                drs_endpoint(id),
                format!("https://drs.{id}.myhuaweicloud.com")
            );
        }
        let global: Vec<&str> = all()
            .filter(|region| region.iam_endpoint == GLOBAL_IAM_ENDPOINT)
            .map(|region| region.id)
            .collect();
        assert_eq!(global, drs_only);
    }

    #[test]
    fn regular_regions_follow_the_pattern() {
        assert_eq!(
            lookup("cn-north-4"),
            Some(&Region {
                id: "cn-north-4",
                drs_endpoint: "https://drs.cn-north-4.myhuaweicloud.com",
                iam_endpoint: "https://iam.cn-north-4.myhuaweicloud.com",
            })
        );
        assert_eq!(
            iam_endpoint("my-kualalumpur-1"),
            "https://iam.my-kualalumpur-1.myhuaweicloud.com"
        );
    }

    #[test]
    fn an_unknown_region_falls_back_to_the_pattern() {
        assert_eq!(lookup("xx-test-9"), None);
        assert_eq!(lookup("CN-NORTH-4"), None);
        assert_eq!(
            drs_endpoint("xx-test-9"),
            "https://drs.xx-test-9.myhuaweicloud.com"
        );
        assert_eq!(
            iam_endpoint("xx-test-9"),
            "https://iam.xx-test-9.myhuaweicloud.com"
        );
    }
}
