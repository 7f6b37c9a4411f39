// The errors arcgis-keys rejects with. Plain classes extending Error, so `instanceof`
// works and stack traces are the engine's own. The Rust side (src/errors.rs) picks the
// class and fills the properties; the declarations are in src/errors.rs too.

export class ArcGISKeysError extends Error {
  constructor(message, properties) {
    super(message);
    this.name = new.target.name;
    Object.assign(this, properties);
  }
}

export class PortalError extends ArcGISKeysError {}

export class SignInRequiredError extends PortalError {}

export class InputError extends ArcGISKeysError {}

export class NetworkError extends ArcGISKeysError {}
