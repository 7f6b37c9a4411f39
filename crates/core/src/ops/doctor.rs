//! `doctor`: the user's own portal settles the open points (contract sections 11–13).
//!
//! No public source says how the service reads them, so the client is built to be safe
//! under every reading; `doctor` shows which reading a portal follows. It works on
//! throwaway credentials it makes (tagged [`DOCTOR_TAG`], named and described as such),
//! stops only their keys, calls a location service at most twice, and deletes them for
//! good at the end, also after a failed probe; a run that died is cleaned up by the
//! next (`sweep`, which reads the root folder, never the search index). A probe this
//! session cannot run is "not tested", with the reason. The readings carry the names
//! of the emulator's behaviour switches, so the emulator can check every probe.

use crate::client::Client;
use crate::dates::end_of_day;
use crate::error::Error;
use crate::model::{AppInfo, Credential, KeyKind, SearchPage, Slot, User};
use crate::ops::create::{Created, CredentialInput, NewCredential};
use crate::ops::list::ListOptions;
use crate::ops::test_key::{KeyVerdict, ServiceHosts};
use crate::ops::usage::Period;
use crate::paths;
use crate::request::ApiRequest;
use crate::secret::Secret;
use crate::transport::Transport;

/// The tag every throwaway credential carries, by which a later run finds what an
/// earlier one left.
pub const DOCTOR_TAG: &str = "arcgis-keys-doctor";

/// The location service the throwaway credentials hold (and the one probe that calls a
/// service uses).
const SERVICE: &str = "premium:user:basemaps";

/// Personal privileges that only read, one of which the API-key probes' credential
/// holds: the user must hold it too.
const READ_ONLY_PERSONAL: &[&str] =
    &["portal:user:viewOrgItems", "portal:user:viewOrgGroups", "portal:user:viewOrgUsers"];

/// A referrer no page has, for the referrer probes.
const NO_PAGE: &str = "https://arcgis-keys-doctor.invalid";

const DAY_MS: i64 = 86_400_000;

/// How long the search probe waits between searches: 0.1 s doubling, 12.7 s in all.
const SEARCH_WAITS_MS: &[u32] = &[100, 200, 400, 800, 1_600, 3_200, 6_400];

/// An open point a portal settles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Point {
    OrgKeyQuery,
    OauthTokenForKeys,
    SearchLag,
    UsageForMembers,
    ExpirationRounding,
    ReferrersUpdate,
    OmittedAppField,
    ApiKeySelf,
    ApiKeyReads,
    PersonalFlagOnUpdate,
    NonPersonalKey,
    RecycledKeys,
}

/// Every point, in the order the report lists them.
pub const POINTS: [Point; 12] = [
    Point::OrgKeyQuery,
    Point::OauthTokenForKeys,
    Point::SearchLag,
    Point::UsageForMembers,
    Point::ExpirationRounding,
    Point::ReferrersUpdate,
    Point::OmittedAppField,
    Point::ApiKeySelf,
    Point::ApiKeyReads,
    Point::PersonalFlagOnUpdate,
    Point::NonPersonalKey,
    Point::RecycledKeys,
];

impl Point {
    /// The point's name: the emulator's behaviour switch for it, where it has one.
    pub fn name(self) -> &'static str {
        match self {
            Point::OrgKeyQuery => "orgKeyQuery",
            Point::OauthTokenForKeys => "oauthTokenForKeys",
            Point::SearchLag => "searchLagMs",
            Point::UsageForMembers => "usageForMembers",
            Point::ExpirationRounding => "expirationRounding",
            Point::ReferrersUpdate => "referrersUpdate",
            Point::OmittedAppField => "omittedAppField",
            Point::ApiKeySelf => "apiKeySelf",
            Point::ApiKeyReads => "apiKeyReads",
            Point::PersonalFlagOnUpdate => "personalFlagOnUpdate",
            Point::NonPersonalKey => "nonPersonalKey",
            Point::RecycledKeys => "recycledKeys",
        }
    }

    /// The question, in words.
    pub fn question(self) -> &'static str {
        match self {
            Point::OrgKeyQuery => "Does portals/self/apiTokens answer an administrator?",
            Point::OauthTokenForKeys => "May a token from an OAuth sign-in manage keys?",
            Point::SearchLag => "How long does search lag behind a new item?",
            Point::UsageForMembers => "May a member read usage?",
            Point::ExpirationRounding => "How is a key's expiration date kept?",
            Point::ReferrersUpdate => "Does changing only the referrers stop the keys?",
            Point::OmittedAppField => "Does an app update keep a field it leaves out?",
            Point::ApiKeySelf => "Does community/self name an API key's owner?",
            Point::ApiKeyReads => "Which privilege lets an API key read its owner's items?",
            Point::PersonalFlagOnUpdate => "Does isPersonalAPIToken follow an app update?",
            Point::NonPersonalKey => "How is a key without personal privileges refused?",
            Point::RecycledKeys => "Do a recycled credential's keys keep working?",
        }
    }

    /// Whether finding out changes anything on the portal.
    fn writes(self) -> bool {
        !matches!(self, Point::OrgKeyQuery | Point::UsageForMembers)
    }
}

/// What a probe found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The reading seen, what showed it, and a figure where one was measured.
    Observed { reading: &'static str, evidence: String, measured_ms: Option<u64> },
    /// The probe could not run with this session, or its answer settled nothing.
    NotTested { reason: String },
}

/// One point and what its probe found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub point: Point,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoctorOptions {
    /// Only the probes that change nothing.
    pub read_only: bool,
    /// Where the one service call goes.
    pub service_hosts: ServiceHosts,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoctorReport {
    /// "ArcGIS Online", or "ArcGIS Enterprise" with its portal version.
    pub portal: String,
    pub findings: Vec<Finding>,
    /// Throwaway credentials an earlier run left, deleted now.
    pub swept: usize,
    /// What this run could not delete, in words (its id first).
    pub left_behind: Vec<String>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct PortalSelf {
    #[serde(default)]
    is_portal: bool,
    #[serde(default)]
    current_version: Option<String>,
}

/// One run's state: what it found and what it made.
struct Run<'a, T: Transport> {
    client: &'a Client<T>,
    me: User,
    findings: Vec<Finding>,
    /// Throwaway credentials to delete at the end.
    made: Vec<String>,
    /// What could not be cleaned up, in words.
    left: Vec<String>,
}

impl<T: Transport> Run<'_, T> {
    fn observe(&mut self, point: Point, reading: &'static str, evidence: impl Into<String>) {
        self.findings.push(Finding {
            point,
            outcome: Outcome::Observed { reading, evidence: evidence.into(), measured_ms: None },
        });
    }

    fn skip(&mut self, point: Point, reason: impl Into<String>) {
        self.findings.push(Finding { point, outcome: Outcome::NotTested { reason: reason.into() } });
    }

    fn skip_all(&mut self, points: &[Point], reason: &str) {
        for point in points {
            self.skip(*point, reason);
        }
    }

    /// Whether the run was interrupted; if so, every point not yet settled is "not
    /// tested", and the run goes straight to its clean-up.
    fn interrupted(&mut self) -> bool {
        if !self.client.take_interrupted(false) {
            return false;
        }
        let open: Vec<Point> =
            POINTS.iter().copied().filter(|p| !self.findings.iter().any(|f| f.point == *p)).collect();
        self.skip_all(&open, "interrupted before this probe ran");
        true
    }

    /// A throwaway credential holding `privileges` with a key in slot 1 for a day.
    async fn throwaway(&mut self, role: &str, privileges: &[&str], tags: &[String]) -> Result<Created, Error> {
        let now = self.client.transport().now_ms();
        let date = crate::dates::format_date(now);
        let input = CredentialInput {
            title: format!("arcgis-keys doctor: {role} (throwaway, safe to delete)"),
            description: Some(format!(
                "Made by arcgis-keys doctor for {} on {date} to see how this portal behaves; deleted when the run ends. \
                 Safe to delete at any time.",
                self.me.username
            )),
            tags: tags.to_vec(),
            privileges: privileges.iter().map(|p| (*p).to_owned()).collect(),
            keys: vec![(Slot::Primary, now + DAY_MS)],
            personal_privileges_acknowledged: true,
            ..CredentialInput::default()
        };
        let new = NewCredential::new(input, now)?;
        let created = self.client.create_credential(&new).await.map_err(|e| e.error)?;
        self.made.push(created.credential.item.id.clone());
        Ok(created)
    }

    /// An app update with exactly these fields, as a probe needs it (the client's own
    /// updates always send both lists).
    async fn update_app(&self, app: &AppInfo, fields: &[(&'static str, &[&str])]) -> Result<AppInfo, Error> {
        let mut request = ApiRequest::write(paths::app_action(&app.client_id, "update"));
        for (name, values) in fields {
            let values: Vec<String> = values.iter().map(|v| (*v).to_owned()).collect();
            request = request.json_list(name, &values);
        }
        self.client.call(&request).await
    }

    async fn reread(&self, id: &str) -> Result<Credential, Error> {
        self.client.credential(id).await
    }
}

/// Words for an error in a "not tested" reason.
fn failed(what: &str, error: &Error) -> String {
    format!("{what} failed: {error}")
}

impl<T: Transport> Client<T> {
    /// Runs every probe this session can, on throwaway credentials it deletes at the
    /// end. Fails only when the portal cannot be read at all; a probe that fails is
    /// "not tested" with the reason.
    pub async fn doctor(&self, options: &DoctorOptions) -> Result<DoctorReport, Error> {
        let about: PortalSelf = self.call(&ApiRequest::read("/portals/self")).await?;
        let portal = match (about.is_portal, about.current_version) {
            (false, _) => "ArcGIS Online".to_owned(),
            (true, Some(version)) => format!("ArcGIS Enterprise (portal version {version})"),
            (true, None) => "ArcGIS Enterprise".to_owned(),
        };
        let me = match self.user() {
            Some(user) => user,
            None => self.me().await?,
        };
        self.take_interrupted(true);
        let swept = if options.read_only { 0 } else { self.doctor_sweep().await? };
        let mut run = Run { client: self, me, findings: Vec::new(), made: Vec::new(), left: Vec::new() };
        run.read_only_probes().await;
        if options.read_only {
            let reason = "--read-only: this probe writes";
            let writing: Vec<Point> = POINTS.iter().copied().filter(|p| p.writes()).collect();
            run.skip_all(&writing, reason);
            if !run.me.is_admin() && !run.findings.iter().any(|f| f.point == Point::UsageForMembers) {
                run.usage_of_an_existing_credential().await;
            }
        } else {
            run.writing_probes(&options.service_hosts).await;
        }
        let mut left_behind = std::mem::take(&mut run.left);
        for id in std::mem::take(&mut run.made) {
            if let Err(error) = self.delete_throwaway(&id).await {
                left_behind.push(format!("{id}: {error}"));
            }
        }
        let mut findings = run.findings;
        findings.sort_by_key(|f| POINTS.iter().position(|p| *p == f.point));
        Ok(DoctorReport { portal, findings, swept, left_behind })
    }

    /// Deletes for good every throwaway credential an earlier run left in the user's
    /// root folder (a run that was killed, or interrupted). Answers how many.
    pub async fn doctor_sweep(&self) -> Result<usize, Error> {
        let mut start = 1;
        let mut found = Vec::new();
        loop {
            let page = self.browse(None, start).await?;
            found.extend(page.items.iter().filter(|i| i.tags.iter().any(|t| t == DOCTOR_TAG)).map(|i| i.id.clone()));
            match usize::try_from(page.next_start) {
                Ok(next) if next > start => start = next,
                _ => break,
            }
        }
        for id in &found {
            self.delete_throwaway(id).await?;
        }
        Ok(found.len())
    }

    /// Deletes a throwaway credential for good, its live keys invalidated first; one a
    /// run left before its app was registered is a bare item; one already gone is done.
    async fn delete_throwaway(&self, id: &str) -> Result<(), Error> {
        let item = match self.item(id).await {
            Ok(item) => item,
            Err(error) if error.code() == Some(400) => return Ok(()),
            Err(error) => return Err(error),
        };
        // The item just read, with its app: no second read of the item.
        let request =
            ApiRequest::write(paths::item_action(&item.owner, &item.id, "delete")).flag("permanentDelete", true);
        match self.credential_of(item).await {
            Ok(mut credential) => self.delete_key(&mut credential).await,
            Err(Error::Portal(_)) => self.call_success(&request).await,
            Err(error) => Err(error),
        }
    }
}

impl<T: Transport> Run<'_, T> {
    /// The probes that change nothing.
    async fn read_only_probes(&mut self) {
        if self.me.is_admin() {
            let request = ApiRequest::read("/portals/self/apiTokens").param("num", "1");
            match self.client.call::<crate::json::Json>(&request).await {
                Ok(_) => self.observe(Point::OrgKeyQuery, "allowed", "portals/self/apiTokens answered"),
                Err(error) if error.code() == Some(403) => {
                    self.observe(Point::OrgKeyQuery, "forbidden", format!("portals/self/apiTokens: {error}"))
                }
                Err(error) => self.skip(Point::OrgKeyQuery, failed("portals/self/apiTokens", &error)),
            }
            self.skip(
                Point::UsageForMembers,
                "you are an administrator, who may always read usage: run doctor as a member",
            );
        } else {
            self.skip(Point::OrgKeyQuery, "needs an administrator (members are always refused)");
        }
    }

    /// Usage read for one of the member's own credentials (`--read-only`).
    async fn usage_of_an_existing_credential(&mut self) {
        let first = match self.client.list_keys(KeyKind::Credential, ListOptions::default()).await {
            Ok(items) => items.into_iter().next(),
            Err(error) => return self.skip(Point::UsageForMembers, failed("listing your credentials", &error)),
        };
        let Some(item) = first else {
            return self.skip(Point::UsageForMembers, "you have no credential to read usage for");
        };
        match self.reread(&item.id).await {
            Ok(credential) => self.usage_probe(&credential).await,
            Err(error) => self.skip(Point::UsageForMembers, failed("reading a credential", &error)),
        }
    }

    async fn usage_probe(&mut self, credential: &Credential) {
        let now = self.client.transport().now_ms();
        match self.client.usage(credential, now - DAY_MS, now, Period::Day).await {
            Ok(_) => self.observe(Point::UsageForMembers, "allowed", "a member's usage request was answered"),
            Err(error) if error.code() == Some(403) => {
                self.observe(Point::UsageForMembers, "forbidden", format!("a member's usage request: {error}"))
            }
            Err(error) => self.skip(Point::UsageForMembers, failed("the usage request", &error)),
        }
    }

    async fn writing_probes(&mut self, hosts: &ServiceHosts) {
        let oauth = self.client.session().is_some_and(|s| s.refresh.is_some());
        let mut run_tag = [0u8; 6];
        self.client.transport().random_bytes(&mut run_tag);
        let run_tag = format!("{DOCTOR_TAG}-{}", crate::oauth::base64url(&run_tag));
        let before_create = self.client.transport().now_ms();
        let base = match self.throwaway("referrers and dates", &[SERVICE], &[DOCTOR_TAG.into(), run_tag.clone()]).await
        {
            Ok(created) => created.credential,
            Err(error) if oauth && error.code() == Some(403) => {
                self.observe(Point::OauthTokenForKeys, "forbidden", format!("creating a credential: {error}"));
                let rest: Vec<Point> =
                    POINTS.iter().copied().filter(|p| p.writes() && *p != Point::OauthTokenForKeys).collect();
                let reason = "this portal refuses key management to an OAuth sign-in: run doctor signed in with a password or an API key";
                self.skip_all(&rest, reason);
                if !self.me.is_admin() {
                    self.usage_of_an_existing_credential().await;
                }
                return;
            }
            Err(error) => {
                let reason = failed("creating a throwaway credential", &error);
                let rest: Vec<Point> = POINTS.iter().copied().filter(|p| p.writes()).collect();
                self.skip_all(&rest, &reason);
                if !self.me.is_admin() {
                    self.usage_of_an_existing_credential().await;
                }
                return;
            }
        };
        if oauth {
            self.observe(Point::OauthTokenForKeys, "allowed", "an OAuth sign-in created and updated a credential");
        } else {
            self.skip(Point::OauthTokenForKeys, "needs an OAuth sign-in (arcgis-keys login)");
        }
        // One probe at a time, each after a check for an interruption.
        for step in 0..7 {
            if self.interrupted() {
                return;
            }
            match step {
                0 => self.search_lag(&run_tag, before_create).await,
                1 if !self.me.is_admin() => self.usage_probe(&base).await,
                2 => self.expiration_rounding(&base).await,
                3 => self.referrers_update(&base).await,
                4 => self.omitted_app_field(&base).await,
                5 => self.api_key_probes(&base).await,
                6 => self.recycle_probes(hosts).await,
                _ => {}
            }
        }
    }

    async fn search_lag(&mut self, run_tag: &str, since: i64) {
        let q = format!("owner:\"{}\" AND tags:\"{run_tag}\"", self.me.username.replace('"', ""));
        let request = ApiRequest::read("/search").param("q", q).param("num", "1");
        for (tries, wait) in std::iter::once(0).chain(SEARCH_WAITS_MS.iter().copied()).enumerate() {
            if wait > 0 {
                self.client.transport().sleep(wait).await;
            }
            match self.client.call::<SearchPage>(&request).await {
                Ok(page) if page.total > 0 => {
                    let elapsed = u64::try_from(self.client.transport().now_ms() - since).unwrap_or(0);
                    let (reading, measured) = if tries == 0 { ("fresh", None) } else { ("lags", Some(elapsed)) };
                    let evidence = match measured {
                        None => "the first search after creating found the new credential".to_owned(),
                        Some(ms) => format!("found by search {ms} ms after it was created ({} searches)", tries + 1),
                    };
                    self.findings.push(Finding {
                        point: Point::SearchLag,
                        outcome: Outcome::Observed { reading, evidence, measured_ms: measured },
                    });
                    return;
                }
                Ok(_) => {}
                Err(error) => return self.skip(Point::SearchLag, failed("searching", &error)),
            }
        }
        self.skip(Point::SearchLag, "search did not find the new credential within 12.7 s");
    }

    async fn expiration_rounding(&mut self, base: &Credential) {
        let point = Point::ExpirationRounding;
        // An instant in the middle of a day, in the empty slot 2 (no key changes).
        let sent = end_of_day(self.client.transport().now_ms() + 2 * DAY_MS) - 12 * 3_600_000 + 12_345;
        let request = ApiRequest::write(paths::item_action(&base.item.owner, &base.item.id, "update"))
            .param("apiToken2ExpirationDate", sent.to_string());
        if let Err(error) = self.client.call_success(&request).await {
            return self.skip(point, failed("setting slot 2's date", &error));
        }
        match self.client.item(&base.item.id).await {
            Ok(item) => {
                let kept = item.api_token2_expiration_date;
                let evidence = format!("sent {sent}, kept {kept}");
                let reading = if kept == end_of_day(sent) {
                    "endOfUtcDay"
                } else if kept == sent {
                    "asSent"
                } else {
                    "other"
                };
                self.observe(point, reading, evidence);
            }
            Err(error) => self.skip(point, failed("reading the item back", &error)),
        }
    }

    async fn referrers_update(&mut self, base: &Credential) {
        let point = Point::ReferrersUpdate;
        let privileges: Vec<&str> = base.app.privileges.iter().map(String::as_str).collect();
        if !base.app.api_token1_active {
            return self.skip(point, "the throwaway credential's key was not live");
        }
        if let Err(error) =
            self.update_app(&base.app, &[("privileges", &privileges), ("httpReferrers", &[NO_PAGE])]).await
        {
            return self.skip(point, failed("the referrers-only update", &error));
        }
        match self.reread(&base.item.id).await {
            Ok(now) if now.app.api_token1_active => {
                self.observe(point, "keysStay", "the key was still active after a referrers-only update")
            }
            Ok(_) => self.observe(point, "keysStop", "the key was no longer active after a referrers-only update"),
            Err(error) => self.skip(point, failed("reading the app back", &error)),
        }
    }

    async fn omitted_app_field(&mut self, base: &Credential) {
        let point = Point::OmittedAppField;
        let other_page = format!("{NO_PAGE}/omitted");
        if let Err(error) = self.update_app(&base.app, &[("httpReferrers", &[other_page.as_str()])]).await {
            return self.skip(point, failed("an update without privileges", &error));
        }
        match self.reread(&base.item.id).await {
            Ok(now) if now.app.privileges == base.app.privileges => {
                self.observe(point, "keep", "the privileges left out of an update were kept")
            }
            Ok(now) if now.app.privileges.is_empty() => {
                self.observe(point, "clear", "the privileges left out of an update were cleared")
            }
            Ok(now) => self.skip(point, format!("the privileges became {:?}", now.app.privileges)),
            Err(error) => self.skip(point, failed("reading the app back", &error)),
        }
    }

    /// A key that acts as the user (a read-only personal privilege) tries `community/self`
    /// and reading the user's own app info; then the privileges lose their personal part
    /// and `isPersonalAPIToken` is read back.
    async fn api_key_probes(&mut self, base: &Credential) {
        let points = [Point::ApiKeySelf, Point::ApiKeyReads, Point::PersonalFlagOnUpdate];
        let Some(privilege) = READ_ONLY_PERSONAL.iter().find(|p| self.me.privileges.iter().any(|held| held == *p))
        else {
            let reason = format!(
                "needs a personal privilege that only reads, which you do not hold: one of {READ_ONLY_PERSONAL:?}"
            );
            return self.skip_all(&points, &reason);
        };
        let created = match self
            .throwaway("an API key acting as you, read-only", &[privilege], &[DOCTOR_TAG.into()])
            .await
        {
            Ok(created) => created,
            Err(error) => return self.skip_all(&points, &failed("creating a personal throwaway credential", &error)),
        };
        let Some(key) = created.keys.first().map(|k| k.key.clone()) else {
            return self.skip_all(&points, "the personal throwaway credential got no key");
        };
        let me = self.me.username.clone();
        match self.client.call_as::<User>(&ApiRequest::read("/community/self"), &key).await {
            Ok(user) if user.username == me => self.observe(Point::ApiKeySelf, "owner", "community/self named you"),
            Ok(user) => self.skip(Point::ApiKeySelf, format!("community/self named {}", user.username)),
            Err(error) if error.code() == Some(403) => {
                self.observe(Point::ApiKeySelf, "refused", format!("community/self: {error}"))
            }
            Err(error) => self.skip(Point::ApiKeySelf, failed("community/self with the key", &error)),
        }
        let info = crate::ops::credentials::app_request(&base.item.owner, &base.item.id);
        match self.client.call_as::<AppInfo>(&info, &key).await {
            Ok(_) => self.observe(
                Point::ApiKeyReads,
                "anyPersonal",
                format!("a key with only {privilege} read your app info"),
            ),
            Err(error) if error.code() == Some(403) => self.observe(
                Point::ApiKeyReads,
                "contentPrivilege",
                format!("a key with only {privilege} was refused your app info: {error}"),
            ),
            Err(error) => self.skip(Point::ApiKeyReads, failed("reading app info with the key", &error)),
        }
        let app = &created.credential.app;
        if let Err(error) = self.update_app(app, &[("privileges", &[SERVICE]), ("httpReferrers", &[])]).await {
            return self.skip(Point::PersonalFlagOnUpdate, failed("removing the personal privilege", &error));
        }
        match self.reread(&created.credential.item.id).await {
            Ok(now) if now.app.is_personal_api_token => self.observe(
                Point::PersonalFlagOnUpdate,
                "kept",
                "isPersonalAPIToken stayed true after the personal privileges were removed",
            ),
            Ok(_) => self.observe(
                Point::PersonalFlagOnUpdate,
                "recomputed",
                "isPersonalAPIToken became false when the personal privileges were removed",
            ),
            Err(error) => self.skip(Point::PersonalFlagOnUpdate, failed("reading the app back", &error)),
        }
    }

    /// A services-only key tries `community/self`; then its credential goes to the
    /// recycle bin and the key is tried once against its service; then the credential is
    /// restored and deleted for good.
    async fn recycle_probes(&mut self, hosts: &ServiceHosts) {
        let created = match self.throwaway("the recycle bin", &[SERVICE], &[DOCTOR_TAG.into()]).await {
            Ok(created) => created,
            Err(error) => {
                let reason = failed("creating a throwaway credential", &error);
                return self.skip_all(&[Point::NonPersonalKey, Point::RecycledKeys], &reason);
            }
        };
        let Some(key) = created.keys.first().map(|k| k.key.clone()) else {
            return self.skip_all(&[Point::NonPersonalKey, Point::RecycledKeys], "the throwaway credential got no key");
        };
        match self.client.call_as::<User>(&ApiRequest::read("/community/self"), &key).await {
            Err(error) if error.code() == Some(403) => {
                self.observe(Point::NonPersonalKey, "forbidden", format!("community/self: {error}"))
            }
            Err(error) if matches!(error.code(), Some(498 | 499)) => {
                self.observe(Point::NonPersonalKey, "invalidToken", format!("community/self: {error}"))
            }
            Ok(_) => self.observe(Point::NonPersonalKey, "accepted", "community/self answered a services-only key"),
            Err(error) => self.skip(Point::NonPersonalKey, failed("community/self with the key", &error)),
        }
        self.recycled_keys(&created.credential, &key, hosts).await;
    }

    async fn recycled_keys(&mut self, credential: &Credential, key: &Secret, hosts: &ServiceHosts) {
        let point = Point::RecycledKeys;
        let item = &credential.item;
        let recycle = ApiRequest::write(paths::item_action(&item.owner, &item.id, "delete"));
        if let Err(error) = self.client.call_success(&recycle).await {
            return self.skip(point, failed("deleting without permanentDelete", &error));
        }
        match self.client.test_key(key, SERVICE, hosts).await {
            Ok(KeyVerdict::Accepted) => {
                self.observe(point, "keepWorking", "the service took the key of a recycled credential")
            }
            Ok(KeyVerdict::Rejected(reason)) => {
                self.observe(point, "stop", format!("the service refused the key of a recycled credential: {reason}"))
            }
            Ok(KeyVerdict::Inconclusive(reason)) => {
                self.skip(point, format!("the service did not judge the key: {reason}"))
            }
            Err(error) => self.skip(point, failed("the service call", &error)),
        }
        // Back from the bin, so that the clean-up deletes it for good.
        let restore = ApiRequest::write(paths::item_action(&item.owner, &item.id, "restore"));
        if let Err(error) = self.client.call_success(&restore).await {
            self.made.retain(|id| *id != item.id);
            self.left.push(format!(
                "{}: in the recycle bin until the portal purges it (restoring failed: {error})",
                item.id
            ));
        }
    }
}
