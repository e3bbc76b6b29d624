//! The decoding of the study spec and of the sampler, pruner and stopping options
//! from arbitrary JSON: every input is accepted or refused with an error, never a
//! panic, and what is accepted builds a study.
#![no_main]

use edgetune_api::requests::CreateStudy;
use edgetune_core::{PrunerConfig, SamplerConfig, SearchSpace, StoppingConfig, Study, StudyConfig};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let _ = SamplerConfig::parse(&value);
    let _ = PrunerConfig::parse(&value);
    let _ = StoppingConfig::parse(&value);
    if let Ok(space) = serde_json::from_value::<SearchSpace>(value.clone()) {
        let _ = space.validated();
    }
    if let Ok(config) = serde_json::from_value::<StudyConfig>(value.clone()) {
        if let Ok(config) = config.validated() {
            Study::create(config).expect("a validated config creates a study");
        }
    }
    if let Ok(body) = serde_json::from_value::<CreateStudy>(value) {
        if let Ok(config) = body.into_config(1, &"tpe".into(), &"none".into()) {
            Study::create(config).expect("a resolved spec creates a study");
        }
    }
});
