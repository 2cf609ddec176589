//! Values across the boundary, and errors into JavaScript exceptions, in one place.
//!
//! Arguments arrive as JavaScript values and are read with serde-wasm-bindgen
//! into the types of [`crate::api`] or the core; results leave in the JSON
//! shape the core documents (`docs/diagnosis.schema.json`): objects for maps,
//! `null` for an absent required member such as `errorType`.
//!
//! Every failure becomes a [`Failure`], and a [`Failure`] becomes an `Error`
//! only in `From<Failure> for JsValue`: a `TypeError` for an argument of the
//! wrong shape, a `GatewiseInputError` with a `code` for input the core
//! could not use.
//!
//! # Example
//! ```
//! use gatewise_wasm::convert::Failure;
//! // What `explain("")` fails with (in JavaScript: a GatewiseInputError whose code is "empty").
//! let f = Failure::Input("empty", "nothing to explain".into());
//! assert_ne!(f, Failure::Argument("text", "expected a string".into()));
//! ```

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// An argument did not have the expected shape (named, with the reason).
    Argument(&'static str, String),
    /// The core could not use the input: a stable `code` and a message.
    Input(&'static str, String),
    /// A result could not be converted (should not happen; reported, never a panic).
    Output(String),
}

impl From<Failure> for JsValue {
    fn from(f: Failure) -> JsValue {
        match f {
            Failure::Argument(name, why) => {
                js_sys::TypeError::new(&format!("gatewise: invalid {name}: {why}")).into()
            }
            Failure::Input(code, message) => {
                let e = js_sys::Error::new(&message);
                e.set_name("GatewiseInputError");
                // Setting a property on a fresh Error object cannot fail.
                let _ = js_sys::Reflect::set(&e, &"code".into(), &code.into());
                e.into()
            }
            Failure::Output(why) => js_sys::Error::new(&format!("gatewise: {why}")).into(),
        }
    }
}

/// Reads argument `name` into `T`.
pub fn arg<T: DeserializeOwned>(name: &'static str, v: JsValue) -> Result<T, Failure> {
    serde_wasm_bindgen::from_value(v).map_err(|e| Failure::Argument(name, e.to_string()))
}

/// Reads optional argument `name` into `T`; `undefined` and `null` give `T::default()`.
pub fn options<T: DeserializeOwned + Default>(
    name: &'static str,
    v: JsValue,
) -> Result<T, Failure> {
    if v.is_undefined() || v.is_null() {
        return Ok(T::default());
    }
    arg(name, v)
}

/// Writes a result in its JSON shape (objects, not `Map`s; `null` for `None`).
pub fn out<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Failure> {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&ser)
        .map_err(|e| Failure::Output(e.to_string()))
}
