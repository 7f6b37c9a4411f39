//! The HTTP surface, one module per API area of the contract.

mod apps;
mod auth;
mod content;
mod org;
mod search;
mod services;
mod usage;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::handler::Handler;
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::routing::{MethodRouter, get};
use tower::ServiceBuilder;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::Shared;
use crate::control;
use crate::error::ApiError;

type AppState = Arc<Shared>;

/// A read: GET or POST, as the service accepts both.
fn read<H, T>(handler: H) -> MethodRouter<AppState>
where
    H: Handler<T, AppState>,
    T: 'static,
{
    get(handler.clone()).post(handler)
}

/// A write: POST only; a GET gets the service's "Invalid request".
fn write<H, T>(handler: H) -> MethodRouter<AppState>
where
    H: Handler<T, AppState>,
    T: 'static,
{
    axum::routing::post(handler).fallback(async || ApiError::invalid_request("This operation requires POST."))
}

/// `site`: a folder of static files, and the Content-Security-Policy to send with them.
pub(crate) fn router(shared: AppState, site: Option<(&Path, Option<&'static str>)>) -> Router {
    let sharing = Router::new()
        .route("/generateToken", write(auth::generate_token))
        .route("/oauth2/authorize", get(auth::authorize_page).post(auth::authorize_submit))
        .route("/oauth2/token", write(auth::token))
        .route("/oauth2/revokeToken", write(auth::revoke_token))
        .route("/community/self", read(auth::community_self))
        .route("/community/users/{username}", read(auth::community_user))
        .route("/portals/self", read(auth::portal_self))
        .route("/portals/self/usage", read(usage::usage_of_self))
        .route("/portals/self/apiTokens", write(org::api_tokens))
        .route("/portals/{portal_id}/usage", read(usage::usage_of_portal))
        .route("/oauth2/registerApp", write(apps::register_app))
        .route("/oauth2/apps/{client_id}/update", write(apps::update_app))
        .route("/oauth2/apps/{client_id}/unregister", write(apps::unregister_app))
        .route("/oauth2/apps/{client_id}/resetApiKey", write(apps::reset_api_key))
        .route("/content/items/{id}", read(content::get_item))
        .route("/content/users/{user}", read(content::user_content))
        .route("/content/users/{user}/{folder}", read(content::folder_content))
        .route("/content/users/{user}/addItem", write(content::add_item))
        .route("/content/users/{user}/{folder}/addItem", write(content::add_item_to_folder))
        .route("/content/users/{user}/createFolder", write(content::create_folder))
        .route("/content/users/{user}/items/{id}/update", write(content::update_item))
        .route("/content/users/{user}/{folder}/items/{id}/update", write(content::update_item_in_folder))
        .route("/content/users/{user}/items/{id}/delete", write(content::delete_item))
        .route("/content/users/{user}/{folder}/items/{id}/delete", write(content::delete_item_in_folder))
        .route("/content/users/{user}/items/{id}/registeredAppInfo", read(apps::registered_app_info))
        .route("/content/users/{user}/items/{id}/restore", write(content::restore_item))
        .route("/search", read(search::search))
        .fallback(async || ApiError::invalid_request("No such operation in the sharing API."));

    let mut app = Router::new().nest("/sharing/rest", sharing).merge(services::routes());
    if shared.control.is_some() {
        app = app.nest("/__emulator", control::routes(shared.clone()));
    }
    if let Some((dir, csp)) = site {
        let csp = csp.map(HeaderValue::from_static);
        app = app.fallback_service(
            ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, csp))
                .service(ServeDir::new(dir)),
        );
    }
    // CORS as the real service: any origin, credentials allowed, preflights answered;
    // outermost, so injected faults carry it too. The control surface answers pages on
    // this machine only.
    let origins = AllowOrigin::predicate(|origin, request| {
        origin.to_str().is_ok_and(|origin| control::cors_allows(origin, request.uri.path()))
    });
    let cors = CorsLayer::very_permissive().allow_origin(origins).max_age(Duration::from_secs(3600));
    app.layer(middleware::from_fn_with_state(shared.clone(), crate::persist::durable))
        .layer(middleware::from_fn_with_state(shared.clone(), control::intake))
        .layer(cors)
        .with_state(shared)
}

/// Parses a JSON-array-or-list parameter that a write needs (`privileges`, …).
fn list_or_empty(params: &crate::params::Params, name: &str) -> crate::error::ApiResult<Vec<String>> {
    Ok(params.list(name)?.unwrap_or_default())
}
