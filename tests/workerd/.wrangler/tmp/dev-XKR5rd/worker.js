var __defProp = Object.defineProperty;
var __name = (target, value) => __defProp(target, "name", { value, configurable: true });

// ../../js/dist/workerd.js
import wasmModule2 from "./8f73300294ba5c11901f8023803a7b58b1a7898d-edgetune_wasm_bg.wasm";

// ../../js/dist/wasm/edgetune_wasm.js
var WasmStudy = class _WasmStudy {
  static {
    __name(this, "WasmStudy");
  }
  static __wrap(ptr) {
    const obj = Object.create(_WasmStudy.prototype);
    obj.__wbg_ptr = ptr;
    WasmStudyFinalization.register(obj, obj.__wbg_ptr, obj);
    return obj;
  }
  __destroy_into_raw() {
    const ptr = this.__wbg_ptr;
    this.__wbg_ptr = 0;
    WasmStudyFinalization.unregister(this);
    return ptr;
  }
  free() {
    const ptr = this.__destroy_into_raw();
    wasm.__wbg_wasmstudy_free(ptr, 0);
  }
  /**
   * Starts a trial, suggesting every parameter of `searchSpace` when one is given.
   * Returns the trial number.
   * @param {SearchSpace | undefined} search_space
   * @returns {number}
   */
  ask(search_space) {
    const ret = wasm.wasmstudy_ask(this.__wbg_ptr, search_space);
    if (ret[2]) {
      throw takeFromExternrefTable0(ret[1]);
    }
    return ret[0];
  }
  /**
   * The best COMPLETE trial, or undefined when none is complete yet. Throws for a
   * multi-objective study.
   * @returns {TrialRecord | undefined}
   */
  bestTrial() {
    const ret = wasm.wasmstudy_bestTrial(this.__wbg_ptr);
    if (ret[2]) {
      throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
  }
  /**
   * The best trials: the Pareto front of the COMPLETE trials, by number.
   * @returns {TrialRecord[]}
   */
  bestTrials() {
    const ret = wasm.wasmstudy_bestTrials(this.__wbg_ptr);
    return ret;
  }
  /**
   * The directions.
   * @returns {Direction[]}
   */
  get directions() {
    const ret = wasm.wasmstudy_directions(this.__wbg_ptr);
    return ret;
  }
  /**
   * Enqueues a WAITING trial with fixed parameters; returns its number.
   * @param {Record<string, ParamValue>} params
   * @returns {number}
   */
  enqueue(params) {
    const ret = wasm.wasmstudy_enqueue(this.__wbg_ptr, params);
    if (ret[2]) {
      throw takeFromExternrefTable0(ret[1]);
    }
    return ret[0];
  }
  /**
   * Rebuilds a study from a journal's JSON text.
   * @param {string} text
   * @returns {WasmStudy}
   */
  static fromJournal(text) {
    const ptr0 = passStringToWasm0(text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.wasmstudy_fromJournal(ptr0, len0);
    if (ret[2]) {
      throw takeFromExternrefTable0(ret[1]);
    }
    return _WasmStudy.__wrap(ret[0]);
  }
  /**
   * The hypervolume after each of `points` evenly spaced trial numbers, as
   * `[number, hypervolume]` pairs.
   * @param {Float64Array | number[]} reference
   * @param {number} points
   * @returns {[number, number][]}
   */
  hypervolumeHistory(reference, points) {
    const val2 = +points;
    const ptr0 = passArrayF64ToWasm0(reference, wasm.__wbindgen_malloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.wasmstudy_hypervolumeHistory(this.__wbg_ptr, ptr0, len0, val2);
    if (ret[2]) {
      throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
  }
  /**
   * The hypervolume of the COMPLETE trials against `reference`.
   * @param {Float64Array | number[]} reference
   * @returns {number}
   */
  hypervolume(reference) {
    const ptr0 = passArrayF64ToWasm0(reference, wasm.__wbindgen_malloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.wasmstudy_hypervolume(this.__wbg_ptr, ptr0, len0);
    if (ret[2]) {
      throw takeFromExternrefTable0(ret[1]);
    }
    return ret[0];
  }
  /**
   * Parameter importance (`evaluator` "ped_anova", "fanova" or "mdi"), most
   * important first, as
   * `[name, importance]` pairs.
   * @param {string} evaluator
   * @param {number} target_quantile
   * @param {number} region_quantile
   * @returns {[string, number][]}
   */
  importance(evaluator, target_quantile, region_quantile) {
    const val2 = +target_quantile;
    const val3 = +region_quantile;
    const ptr0 = passStringToWasm0(evaluator, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.wasmstudy_importance(this.__wbg_ptr, ptr0, len0, val2, val3);
    if (ret[2]) {
      throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
  }
  /**
   * Number of trials.
   * @returns {number}
   */
  get nTrials() {
    const ret = wasm.wasmstudy_nTrials(this.__wbg_ptr);
    return ret;
  }
  /**
   * The study name.
   * @returns {string}
   */
  get name() {
    let deferred1_0;
    let deferred1_1;
    try {
      const ret = wasm.wasmstudy_name(this.__wbg_ptr);
      deferred1_0 = ret[0];
      deferred1_1 = ret[1];
      return getStringFromWasm0(ret[0], ret[1]);
    } finally {
      wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
    }
  }
  /**
   * Creates a study.
   * @param {CreateStudyOptions | undefined} options
   */
  constructor(options) {
    const ret = wasm.wasmstudy_new(options);
    if (ret[2]) {
      throw takeFromExternrefTable0(ret[1]);
    }
    this.__wbg_ptr = ret[0];
    WasmStudyFinalization.register(this, this.__wbg_ptr, this);
    return this;
  }
  /**
   * Reports an intermediate value (Optuna's argument order: value, then step).
   * @param {number} number
   * @param {number} value
   * @param {number} step
   */
  report(number, value, step) {
    const ret = wasm.wasmstudy_report(this.__wbg_ptr, number, value, step);
    if (ret[1]) {
      throw takeFromExternrefTable0(ret[0]);
    }
  }
  /**
   * The sampler name.
   * @returns {string}
   */
  get samplerName() {
    let deferred1_0;
    let deferred1_1;
    try {
      const ret = wasm.wasmstudy_samplerName(this.__wbg_ptr);
      deferred1_0 = ret[0];
      deferred1_1 = ret[1];
      return getStringFromWasm0(ret[0], ret[1]);
    } finally {
      wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
    }
  }
  /**
   * The fixed search space, if the study has one.
   * @returns {Param[] | undefined}
   */
  get searchSpace() {
    const ret = wasm.wasmstudy_searchSpace(this.__wbg_ptr);
    return ret;
  }
  /**
   * The seed.
   * @returns {number}
   */
  get seed() {
    const ret = wasm.wasmstudy_seed(this.__wbg_ptr);
    return ret;
  }
  /**
   * Sets the constraint values of RUNNING trial `number` (`<= 0` is feasible).
   * @param {number} number
   * @param {Float64Array | number[]} values
   */
  setConstraints(number, values) {
    const val2 = +number;
    const ptr0 = passArrayF64ToWasm0(values, wasm.__wbindgen_malloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.wasmstudy_setConstraints(this.__wbg_ptr, val2, ptr0, len0);
    if (ret[1]) {
      throw takeFromExternrefTable0(ret[0]);
    }
  }
  /**
   * Sets a user attribute on a RUNNING or WAITING trial.
   * @param {number} number
   * @param {string} key
   * @param {any} value
   */
  setTrialUserAttr(number, key, value) {
    const val2 = +number;
    const ptr0 = passStringToWasm0(key, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.wasmstudy_setTrialUserAttr(this.__wbg_ptr, val2, ptr0, len0, value);
    if (ret[1]) {
      throw takeFromExternrefTable0(ret[0]);
    }
  }
  /**
   * Sets a study user attribute (any JSON value).
   * @param {string} key
   * @param {any} value
   */
  setUserAttr(key, value) {
    const ptr0 = passStringToWasm0(key, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.wasmstudy_setUserAttr(this.__wbg_ptr, ptr0, len0, value);
    if (ret[1]) {
      throw takeFromExternrefTable0(ret[0]);
    }
  }
  /**
   * Whether the pruner says to stop RUNNING trial `number` now.
   * @param {number} number
   * @returns {boolean}
   */
  shouldPrune(number) {
    const ret = wasm.wasmstudy_shouldPrune(this.__wbg_ptr, number);
    if (ret[2]) {
      throw takeFromExternrefTable0(ret[1]);
    }
    return ret[0] !== 0;
  }
  /**
   * Suggests a value for parameter `name` of RUNNING trial `number`.
   * @param {number} number
   * @param {string} name
   * @param {Distribution} distribution
   * @returns {ParamValue}
   */
  suggest(number, name, distribution) {
    const val2 = +number;
    const ptr0 = passStringToWasm0(name, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.wasmstudy_suggest(this.__wbg_ptr, val2, ptr0, len0, distribution);
    if (ret[2]) {
      throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
  }
  /**
   * Finishes RUNNING trial `number`; returns its final state.
   * @param {number} number
   * @param {TellOutcome} outcome
   * @returns {TrialState}
   */
  tell(number, outcome) {
    let deferred2_0;
    let deferred2_1;
    try {
      const ret = wasm.wasmstudy_tell(this.__wbg_ptr, number, outcome);
      var ptr1 = ret[0];
      var len1 = ret[1];
      if (ret[3]) {
        ptr1 = 0;
        len1 = 0;
        throw takeFromExternrefTable0(ret[2]);
      }
      deferred2_0 = ptr1;
      deferred2_1 = len1;
      return getStringFromWasm0(ptr1, len1);
    } finally {
      wasm.__wbindgen_free(deferred2_0, deferred2_1, 1);
    }
  }
  /**
   * The journal as JSON text.
   * @returns {string}
   */
  toJournal() {
    let deferred1_0;
    let deferred1_1;
    try {
      const ret = wasm.wasmstudy_toJournal(this.__wbg_ptr);
      deferred1_0 = ret[0];
      deferred1_1 = ret[1];
      return getStringFromWasm0(ret[0], ret[1]);
    } finally {
      wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
    }
  }
  /**
   * One trial.
   * @param {number} number
   * @returns {TrialRecord}
   */
  trial(number) {
    const ret = wasm.wasmstudy_trial(this.__wbg_ptr, number);
    if (ret[2]) {
      throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
  }
  /**
   * The flat trials table as CSV.
   * @returns {string}
   */
  trialsCsv() {
    let deferred1_0;
    let deferred1_1;
    try {
      const ret = wasm.wasmstudy_trialsCsv(this.__wbg_ptr);
      deferred1_0 = ret[0];
      deferred1_1 = ret[1];
      return getStringFromWasm0(ret[0], ret[1]);
    } finally {
      wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
    }
  }
  /**
   * The flat trials table: `{columns, rows}`.
   * @returns {TrialsTable}
   */
  trialsTable() {
    const ret = wasm.wasmstudy_trialsTable(this.__wbg_ptr);
    return ret;
  }
  /**
   * Every trial, by number.
   * @returns {TrialRecord[]}
   */
  trials() {
    const ret = wasm.wasmstudy_trials(this.__wbg_ptr);
    return ret;
  }
  /**
   * Study user attributes.
   * @returns {Record<string, unknown>}
   */
  get userAttrs() {
    const ret = wasm.wasmstudy_userAttrs(this.__wbg_ptr);
    return ret;
  }
};
if (Symbol.dispose) WasmStudy.prototype[Symbol.dispose] = WasmStudy.prototype.free;
function __wbg_get_imports() {
  const import0 = {
    __proto__: null,
    __wbg_Error_208446807d0d1e30: /* @__PURE__ */ __name(function(arg0, arg1) {
      const ret = Error(getStringFromWasm0(arg0, arg1));
      return ret;
    }, "__wbg_Error_208446807d0d1e30"),
    __wbg_String_8564e559799eccda: /* @__PURE__ */ __name(function(arg0, arg1) {
      const ret = String(arg1);
      const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
      const len1 = WASM_VECTOR_LEN;
      getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
      getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
    }, "__wbg_String_8564e559799eccda"),
    __wbg___wbindgen_bigint_get_as_i64_11da4b52cd0aedef: /* @__PURE__ */ __name(function(arg0, arg1) {
      const v = arg1;
      const ret = typeof v === "bigint" ? v : void 0;
      getDataViewMemory0().setBigInt64((arg0 >>> 0) + 8 * 1, isLikeNone(ret) ? BigInt(0) : ret, true);
      getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, !isLikeNone(ret), true);
    }, "__wbg___wbindgen_bigint_get_as_i64_11da4b52cd0aedef"),
    __wbg___wbindgen_boolean_get_4f1baf9a00be3c74: /* @__PURE__ */ __name(function(arg0) {
      const v = arg0;
      const ret = typeof v === "boolean" ? v : void 0;
      return isLikeNone(ret) ? 16777215 : ret ? 1 : 0;
    }, "__wbg___wbindgen_boolean_get_4f1baf9a00be3c74"),
    __wbg___wbindgen_debug_string_f249a2a76caa9a55: /* @__PURE__ */ __name(function(arg0, arg1) {
      const ret = debugString(arg1);
      const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
      const len1 = WASM_VECTOR_LEN;
      getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
      getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
    }, "__wbg___wbindgen_debug_string_f249a2a76caa9a55"),
    __wbg___wbindgen_in_3f58a9d3b3a7eed2: /* @__PURE__ */ __name(function(arg0, arg1) {
      const ret = arg0 in arg1;
      return ret;
    }, "__wbg___wbindgen_in_3f58a9d3b3a7eed2"),
    __wbg___wbindgen_is_bigint_5fa10641e039d3ef: /* @__PURE__ */ __name(function(arg0) {
      const ret = typeof arg0 === "bigint";
      return ret;
    }, "__wbg___wbindgen_is_bigint_5fa10641e039d3ef"),
    __wbg___wbindgen_is_function_741ff2bb612836f5: /* @__PURE__ */ __name(function(arg0) {
      const ret = typeof arg0 === "function";
      return ret;
    }, "__wbg___wbindgen_is_function_741ff2bb612836f5"),
    __wbg___wbindgen_is_null_c22311b1cc228e3a: /* @__PURE__ */ __name(function(arg0) {
      const ret = arg0 === null;
      return ret;
    }, "__wbg___wbindgen_is_null_c22311b1cc228e3a"),
    __wbg___wbindgen_is_object_8b968c3ab8e96595: /* @__PURE__ */ __name(function(arg0) {
      const val = arg0;
      const ret = typeof val === "object" && val !== null;
      return ret;
    }, "__wbg___wbindgen_is_object_8b968c3ab8e96595"),
    __wbg___wbindgen_is_string_fc456fee5d3317de: /* @__PURE__ */ __name(function(arg0) {
      const ret = typeof arg0 === "string";
      return ret;
    }, "__wbg___wbindgen_is_string_fc456fee5d3317de"),
    __wbg___wbindgen_is_undefined_be5b34249ff1fc15: /* @__PURE__ */ __name(function(arg0) {
      const ret = arg0 === void 0;
      return ret;
    }, "__wbg___wbindgen_is_undefined_be5b34249ff1fc15"),
    __wbg___wbindgen_jsval_eq_38d7bfbe4cc84039: /* @__PURE__ */ __name(function(arg0, arg1) {
      const ret = arg0 === arg1;
      return ret;
    }, "__wbg___wbindgen_jsval_eq_38d7bfbe4cc84039"),
    __wbg___wbindgen_jsval_loose_eq_b2f214e2e4b30e36: /* @__PURE__ */ __name(function(arg0, arg1) {
      const ret = arg0 == arg1;
      return ret;
    }, "__wbg___wbindgen_jsval_loose_eq_b2f214e2e4b30e36"),
    __wbg___wbindgen_number_get_934b640d0889af78: /* @__PURE__ */ __name(function(arg0, arg1) {
      const obj = arg1;
      const ret = typeof obj === "number" ? obj : void 0;
      getDataViewMemory0().setFloat64((arg0 >>> 0) + 8 * 1, isLikeNone(ret) ? 0 : ret, true);
      getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, !isLikeNone(ret), true);
    }, "__wbg___wbindgen_number_get_934b640d0889af78"),
    __wbg___wbindgen_string_get_7ce8eee7fd327545: /* @__PURE__ */ __name(function(arg0, arg1) {
      const obj = arg1;
      const ret = typeof obj === "string" ? obj : void 0;
      var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
      var len1 = WASM_VECTOR_LEN;
      getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
      getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
    }, "__wbg___wbindgen_string_get_7ce8eee7fd327545"),
    __wbg___wbindgen_throw_4c88d8bf264fd984: /* @__PURE__ */ __name(function(arg0, arg1) {
      throw new Error(getStringFromWasm0(arg0, arg1));
    }, "__wbg___wbindgen_throw_4c88d8bf264fd984"),
    __wbg_call_40b008ba32f73991: /* @__PURE__ */ __name(function() {
      return handleError(function(arg0, arg1) {
        const ret = arg0.call(arg1);
        return ret;
      }, arguments);
    }, "__wbg_call_40b008ba32f73991"),
    __wbg_done_57e08d0be6e30c02: /* @__PURE__ */ __name(function(arg0) {
      const ret = arg0.done;
      return ret;
    }, "__wbg_done_57e08d0be6e30c02"),
    __wbg_entries_7bb1459bd9b5c2b9: /* @__PURE__ */ __name(function(arg0) {
      const ret = Object.entries(arg0);
      return ret;
    }, "__wbg_entries_7bb1459bd9b5c2b9"),
    __wbg_get_635eea311fa1a291: /* @__PURE__ */ __name(function() {
      return handleError(function(arg0, arg1) {
        const ret = Reflect.get(arg0, arg1);
        return ret;
      }, arguments);
    }, "__wbg_get_635eea311fa1a291"),
    __wbg_get_d7176cfb76d71114: /* @__PURE__ */ __name(function(arg0, arg1) {
      const ret = arg0[arg1 >>> 0];
      return ret;
    }, "__wbg_get_d7176cfb76d71114"),
    __wbg_get_unchecked_e6325ad374eff861: /* @__PURE__ */ __name(function(arg0, arg1) {
      const ret = arg0[arg1 >>> 0];
      return ret;
    }, "__wbg_get_unchecked_e6325ad374eff861"),
    __wbg_instanceof_ArrayBuffer_12cdaa4161423e6b: /* @__PURE__ */ __name(function(arg0) {
      let result;
      try {
        result = arg0 instanceof ArrayBuffer;
      } catch (_) {
        result = false;
      }
      const ret = result;
      return ret;
    }, "__wbg_instanceof_ArrayBuffer_12cdaa4161423e6b"),
    __wbg_instanceof_Map_0b4fc8b62e73f163: /* @__PURE__ */ __name(function(arg0) {
      let result;
      try {
        result = arg0 instanceof Map;
      } catch (_) {
        result = false;
      }
      const ret = result;
      return ret;
    }, "__wbg_instanceof_Map_0b4fc8b62e73f163"),
    __wbg_instanceof_Uint8Array_d7aeb0dcb3108fea: /* @__PURE__ */ __name(function(arg0) {
      let result;
      try {
        result = arg0 instanceof Uint8Array;
      } catch (_) {
        result = false;
      }
      const ret = result;
      return ret;
    }, "__wbg_instanceof_Uint8Array_d7aeb0dcb3108fea"),
    __wbg_isArray_bcf1376d0d732d08: /* @__PURE__ */ __name(function(arg0) {
      const ret = Array.isArray(arg0);
      return ret;
    }, "__wbg_isArray_bcf1376d0d732d08"),
    __wbg_isSafeInteger_1a35ba4d31e71d38: /* @__PURE__ */ __name(function(arg0) {
      const ret = Number.isSafeInteger(arg0);
      return ret;
    }, "__wbg_isSafeInteger_1a35ba4d31e71d38"),
    __wbg_iterator_e4c5e8f68ada7b58: /* @__PURE__ */ __name(function() {
      const ret = Symbol.iterator;
      return ret;
    }, "__wbg_iterator_e4c5e8f68ada7b58"),
    __wbg_length_186163212ffe79c3: /* @__PURE__ */ __name(function(arg0) {
      const ret = arg0.length;
      return ret;
    }, "__wbg_length_186163212ffe79c3"),
    __wbg_length_b03a0fabb109b1e9: /* @__PURE__ */ __name(function(arg0) {
      const ret = arg0.length;
      return ret;
    }, "__wbg_length_b03a0fabb109b1e9"),
    __wbg_new_13de428334042d26: /* @__PURE__ */ __name(function(arg0) {
      const ret = new Uint8Array(arg0);
      return ret;
    }, "__wbg_new_13de428334042d26"),
    __wbg_new_37eb45aaf5eeb820: /* @__PURE__ */ __name(function() {
      const ret = new Array();
      return ret;
    }, "__wbg_new_37eb45aaf5eeb820"),
    __wbg_new_7075786089b89c5e: /* @__PURE__ */ __name(function() {
      const ret = /* @__PURE__ */ new Map();
      return ret;
    }, "__wbg_new_7075786089b89c5e"),
    __wbg_new_787b9fb330d55d78: /* @__PURE__ */ __name(function(arg0, arg1) {
      const ret = new Error(getStringFromWasm0(arg0, arg1));
      return ret;
    }, "__wbg_new_787b9fb330d55d78"),
    __wbg_new_cd4348290afae586: /* @__PURE__ */ __name(function() {
      const ret = new Object();
      return ret;
    }, "__wbg_new_cd4348290afae586"),
    __wbg_next_178c1651c11432b3: /* @__PURE__ */ __name(function(arg0) {
      const ret = arg0.next;
      return ret;
    }, "__wbg_next_178c1651c11432b3"),
    __wbg_next_af5ac6a08bb0a717: /* @__PURE__ */ __name(function() {
      return handleError(function(arg0) {
        const ret = arg0.next();
        return ret;
      }, arguments);
    }, "__wbg_next_af5ac6a08bb0a717"),
    __wbg_now_463ac581d2fc7ea3: /* @__PURE__ */ __name(function() {
      const ret = Date.now();
      return ret;
    }, "__wbg_now_463ac581d2fc7ea3"),
    __wbg_prototypesetcall_13162965d1fe7aa3: /* @__PURE__ */ __name(function(arg0, arg1, arg2) {
      Uint8Array.prototype.set.call(getArrayU8FromWasm0(arg0, arg1), arg2);
    }, "__wbg_prototypesetcall_13162965d1fe7aa3"),
    __wbg_random_df36b90cd78a7d54: /* @__PURE__ */ __name(function() {
      const ret = Math.random();
      return ret;
    }, "__wbg_random_df36b90cd78a7d54"),
    __wbg_set_2793479888329cb6: /* @__PURE__ */ __name(function() {
      return handleError(function(arg0, arg1, arg2) {
        const ret = Reflect.set(arg0, arg1, arg2);
        return ret;
      }, arguments);
    }, "__wbg_set_2793479888329cb6"),
    __wbg_set_8282f7e0d2d01336: /* @__PURE__ */ __name(function(arg0, arg1, arg2) {
      const ret = arg0.set(arg1, arg2);
      return ret;
    }, "__wbg_set_8282f7e0d2d01336"),
    __wbg_set_d2d33b52458e984a: /* @__PURE__ */ __name(function(arg0, arg1, arg2) {
      arg0[arg1 >>> 0] = arg2;
    }, "__wbg_set_d2d33b52458e984a"),
    __wbg_set_e4b9a833d288759a: /* @__PURE__ */ __name(function(arg0, arg1, arg2) {
      arg0[arg1] = arg2;
    }, "__wbg_set_e4b9a833d288759a"),
    __wbg_set_name_822e3903f3184979: /* @__PURE__ */ __name(function(arg0, arg1, arg2) {
      arg0.name = getStringFromWasm0(arg1, arg2);
    }, "__wbg_set_name_822e3903f3184979"),
    __wbg_value_e0f328965e184931: /* @__PURE__ */ __name(function(arg0) {
      const ret = arg0.value;
      return ret;
    }, "__wbg_value_e0f328965e184931"),
    __wbindgen_generic_0000000000000001: /* @__PURE__ */ __name(function(arg0) {
      const ret = arg0;
      return ret;
    }, "__wbindgen_generic_0000000000000001"),
    __wbindgen_generic_0000000000000002: /* @__PURE__ */ __name(function(arg0) {
      const ret = arg0;
      return ret;
    }, "__wbindgen_generic_0000000000000002"),
    __wbindgen_generic_0000000000000003: /* @__PURE__ */ __name(function(arg0, arg1) {
      const ret = getStringFromWasm0(arg0, arg1);
      return ret;
    }, "__wbindgen_generic_0000000000000003"),
    __wbindgen_generic_0000000000000004: /* @__PURE__ */ __name(function(arg0) {
      const ret = BigInt.asUintN(64, arg0);
      return ret;
    }, "__wbindgen_generic_0000000000000004"),
    __wbindgen_init_externref_table: /* @__PURE__ */ __name(function() {
      const table = wasm.__wbindgen_externrefs;
      table.set(0, void 0);
      table.set(1024, void 0);
      table.set(1025, null);
      table.set(1026, true);
      table.set(1027, false);
    }, "__wbindgen_init_externref_table")
  };
  return {
    __proto__: null,
    "./edgetune_wasm_bg.js": import0
  };
}
__name(__wbg_get_imports, "__wbg_get_imports");
var WasmStudyFinalization = typeof FinalizationRegistry === "undefined" ? { register: /* @__PURE__ */ __name(() => {
}, "register"), unregister: /* @__PURE__ */ __name(() => {
}, "unregister") } : new FinalizationRegistry((ptr) => wasm.__wbg_wasmstudy_free(ptr, 1));
function addToExternrefTable0(obj) {
  const idx = wasm.__externref_table_alloc();
  wasm.__wbindgen_externrefs.set(idx, obj);
  return idx;
}
__name(addToExternrefTable0, "addToExternrefTable0");
function debugString(val) {
  switch (typeof val) {
    // primitive types
    case "number":
    case "boolean":
    case "undefined":
      return `${val}`;
    case "string":
      return JSON.stringify(val);
    case "bigint":
      return `${val}n`;
    case "symbol":
      return val.description !== void 0 ? `Symbol(${val.description})` : "Symbol";
    case "function":
      return typeof val.name === "string" && val.name !== "" ? `Function(${val.name})` : "Function";
    case "object": {
      if (val === null) {
        return "null";
      }
      if (Array.isArray(val)) {
        return "[" + Array.from(val, debugString).join(", ") + "]";
      }
      if (val instanceof Error) {
        return `${val.name}: ${val.message}
${val.stack}`;
      }
      const toStringOutput = toString.call(val);
      const className = /\[object ([^\]]+)\]/.exec(toStringOutput)?.[1];
      if (className === void 0) {
        return toStringOutput;
      }
      if (className === "Object") {
        try {
          return "Object(" + JSON.stringify(val) + ")";
        } catch (_) {
          return "Object";
        }
      }
      return className;
    }
  }
}
__name(debugString, "debugString");
function getArrayU8FromWasm0(ptr, len) {
  ptr = ptr >>> 0;
  return getUint8ArrayMemory0().subarray(ptr / 1, ptr / 1 + len);
}
__name(getArrayU8FromWasm0, "getArrayU8FromWasm0");
var cachedDataViewMemory0 = null;
function getDataViewMemory0() {
  if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || cachedDataViewMemory0.buffer.detached === void 0 && cachedDataViewMemory0.buffer !== wasm.memory.buffer) {
    cachedDataViewMemory0 = new DataView(wasm.memory.buffer);
  }
  return cachedDataViewMemory0;
}
__name(getDataViewMemory0, "getDataViewMemory0");
var cachedFloat64ArrayMemory0 = null;
function getFloat64ArrayMemory0() {
  if (cachedFloat64ArrayMemory0 === null || cachedFloat64ArrayMemory0.byteLength === 0) {
    cachedFloat64ArrayMemory0 = new Float64Array(wasm.memory.buffer);
  }
  return cachedFloat64ArrayMemory0;
}
__name(getFloat64ArrayMemory0, "getFloat64ArrayMemory0");
function getStringFromWasm0(ptr, len) {
  ptr = ptr >>> 0;
  return decodeText(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}
__name(getStringFromWasm0, "getStringFromWasm0");
var cachedUint8ArrayMemory0 = null;
function getUint8ArrayMemory0() {
  if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) {
    cachedUint8ArrayMemory0 = new Uint8Array(wasm.memory.buffer);
  }
  return cachedUint8ArrayMemory0;
}
__name(getUint8ArrayMemory0, "getUint8ArrayMemory0");
function handleError(f, args) {
  try {
    return f.apply(this, args);
  } catch (e) {
    const idx = addToExternrefTable0(e);
    wasm.__wbindgen_exn_store(idx);
  }
}
__name(handleError, "handleError");
function isLikeNone(x) {
  return x === void 0 || x === null;
}
__name(isLikeNone, "isLikeNone");
function passArrayF64ToWasm0(arg, malloc) {
  const ptr = malloc(arg.length * 8, 8) >>> 0;
  getFloat64ArrayMemory0().set(arg, ptr / 8);
  WASM_VECTOR_LEN = arg.length;
  return ptr;
}
__name(passArrayF64ToWasm0, "passArrayF64ToWasm0");
function passStringToWasm0(arg, malloc, realloc) {
  if (realloc === void 0) {
    const buf = cachedTextEncoder.encode(arg);
    const ptr2 = malloc(buf.length, 1) >>> 0;
    getUint8ArrayMemory0().subarray(ptr2, ptr2 + buf.length).set(buf);
    WASM_VECTOR_LEN = buf.length;
    return ptr2;
  }
  let len = arg.length;
  let ptr = malloc(len, 1) >>> 0;
  const mem = getUint8ArrayMemory0();
  let offset = 0;
  for (; offset < len; offset++) {
    const code = arg.charCodeAt(offset);
    if (code > 127) break;
    mem[ptr + offset] = code;
  }
  if (offset !== len) {
    if (offset !== 0) {
      arg = arg.slice(offset);
    }
    ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
    const view = getUint8ArrayMemory0().subarray(ptr + offset, ptr + len);
    const ret = cachedTextEncoder.encodeInto(arg, view);
    offset += ret.written;
    ptr = realloc(ptr, len, offset, 1) >>> 0;
  }
  WASM_VECTOR_LEN = offset;
  return ptr;
}
__name(passStringToWasm0, "passStringToWasm0");
function takeFromExternrefTable0(idx) {
  const value = wasm.__wbindgen_externrefs.get(idx);
  wasm.__externref_table_dealloc(idx);
  return value;
}
__name(takeFromExternrefTable0, "takeFromExternrefTable0");
var cachedTextDecoder = new TextDecoder("utf-8", { ignoreBOM: true });
cachedTextDecoder.decode();
var MAX_SAFARI_DECODE_BYTES = 2146435072;
var numBytesDecoded = 0;
function decodeText(bytes) {
  numBytesDecoded += bytes.length;
  if (numBytesDecoded >= MAX_SAFARI_DECODE_BYTES) {
    cachedTextDecoder = new TextDecoder("utf-8", { ignoreBOM: true });
    cachedTextDecoder.decode();
    numBytesDecoded = bytes.length;
  }
  return cachedTextDecoder.decode(bytes);
}
__name(decodeText, "decodeText");
var cachedTextEncoder = new TextEncoder();
if (!("encodeInto" in cachedTextEncoder)) {
  cachedTextEncoder.encodeInto = function(arg, view) {
    const buf = cachedTextEncoder.encode(arg);
    view.set(buf);
    return {
      read: arg.length,
      written: buf.length
    };
  };
}
var WASM_VECTOR_LEN = 0;
var wasmModule;
var wasmInstance;
var wasm;
function __wbg_finalize_init(instance, module) {
  wasmInstance = instance;
  wasm = instance.exports;
  wasmModule = module;
  cachedDataViewMemory0 = null;
  cachedFloat64ArrayMemory0 = null;
  cachedUint8ArrayMemory0 = null;
  wasm.__wbindgen_start();
  return wasm;
}
__name(__wbg_finalize_init, "__wbg_finalize_init");
function initSync(module) {
  if (wasm !== void 0) return wasm;
  if (module !== void 0) {
    if (Object.getPrototypeOf(module) === Object.prototype) {
      ({ module } = module);
    } else {
      console.warn("using deprecated parameters for `initSync()`; pass a single object instead");
    }
  }
  const imports = __wbg_get_imports();
  if (!(module instanceof WebAssembly.Module)) {
    module = new WebAssembly.Module(module);
  }
  const instance = new WebAssembly.Instance(module, imports);
  return __wbg_finalize_init(instance, module);
}
__name(initSync, "initSync");

// ../../js/dist/study.js
var EdgetuneError = class extends Error {
  static {
    __name(this, "EdgetuneError");
  }
  code;
  field;
  constructor(message, code, field) {
    super(message);
    this.name = "EdgetuneError";
    this.code = code;
    this.field = field;
  }
};
var TrialPruned = class extends Error {
  static {
    __name(this, "TrialPruned");
  }
  constructor(message = "trial pruned") {
    super(message);
    this.name = "TrialPruned";
  }
};
function call(f) {
  try {
    return f();
  } catch (e) {
    const err = e;
    if (err && err.name === "EdgetuneError") {
      throw new EdgetuneError(String(err.message), String(err.code), err.field);
    }
    throw e;
  }
}
__name(call, "call");
function invalid(field, reason) {
  return new EdgetuneError(`${field}: ${reason}`, "invalid_argument", field);
}
__name(invalid, "invalid");
var Trial = class {
  static {
    __name(this, "Trial");
  }
  number;
  #study;
  /** @internal Trials come from `study.ask()`. */
  constructor(study, number) {
    this.#study = study;
    this.number = number;
  }
  /** A float in `[low, high]`. */
  suggestFloat(name, low, high, options = {}) {
    const d = { type: "float", low, high, log: options.log, step: options.step };
    return call(() => this.#study.suggest(this.number, name, d));
  }
  /** An integer in `[low, high]`. */
  suggestInt(name, low, high, options = {}) {
    for (const [field, v] of [["low", low], ["high", high], ["step", options.step ?? 1]]) {
      if (!Number.isSafeInteger(v))
        throw invalid(`distribution.${field}`, `must be an integer, got ${v}`);
    }
    const d = { type: "int", low, high, log: options.log, step: options.step };
    return call(() => this.#study.suggest(this.number, name, d));
  }
  /** One of `choices`. */
  suggestCategorical(name, choices) {
    const d = { type: "categorical", choices: [...choices] };
    return call(() => this.#study.suggest(this.number, name, d));
  }
  /** Reports an intermediate `value` at `step` (Optuna's order). */
  report(value, step) {
    call(() => this.#study.report(this.number, value, step));
  }
  /** Whether the study's pruner says to stop this trial now. */
  shouldPrune() {
    return call(() => this.#study.shouldPrune(this.number));
  }
  /** Sets a user attribute (any JSON value). */
  setUserAttr(key, value) {
    call(() => this.#study.setTrialUserAttr(this.number, key, value));
  }
  /**
   * Sets constraint values (`<= 0` is feasible), as Optuna's `Trial.set_constraint`:
   * TPE then avoids infeasible regions.
   */
  setConstraints(values) {
    call(() => this.#study.setConstraints(this.number, new Float64Array(values)));
  }
  /** The parameters suggested so far. */
  get params() {
    return call(() => this.#study.trial(this.number)).params;
  }
};
var Study = class _Study {
  static {
    __name(this, "Study");
  }
  #wasm;
  constructor(wasm2) {
    this.#wasm = wasm2;
  }
  /** @internal */
  static _create(options) {
    return new _Study(call(() => new WasmStudy(options)));
  }
  /** Rebuilds a study from `toJournal()`'s output (a string or the parsed object). */
  static fromJournal(journal) {
    const text = typeof journal === "string" ? journal : JSON.stringify(journal);
    return new _Study(call(() => WasmStudy.fromJournal(text)));
  }
  /** The journal: every event of the study as JSON text. Replays into the same study. */
  toJournal() {
    return this.#wasm.toJournal();
  }
  get studyName() {
    return this.#wasm.name;
  }
  get directions() {
    return this.#wasm.directions;
  }
  /** The seed every suggestion derives from. */
  get seed() {
    return this.#wasm.seed;
  }
  /** Starts a trial. With a search space, every parameter of it is suggested now. */
  ask(searchSpace) {
    const number = call(() => this.#wasm.ask(searchSpace));
    return new Trial(this.#wasm, number);
  }
  /** Finishes a trial: a value, one value per objective, or `{ state: "pruned" | "fail" }`. */
  tell(trial, outcome) {
    const number = typeof trial === "number" ? trial : trial.number;
    return call(() => this.#wasm.tell(number, outcome));
  }
  /** Enqueues a trial with fixed parameters; the next `ask` starts it. */
  enqueueTrial(params) {
    return call(() => this.#wasm.enqueue(params));
  }
  /** Sets a study user attribute. */
  setUserAttr(key, value) {
    call(() => this.#wasm.setUserAttr(key, value));
  }
  get userAttrs() {
    return this.#wasm.userAttrs;
  }
  /** Every trial, by number. */
  get trials() {
    return this.#wasm.trials();
  }
  /** Trials in the given states. */
  getTrials(options = {}) {
    const all = this.trials;
    return options.states ? all.filter((t) => options.states.includes(t.state)) : all;
  }
  /** The best COMPLETE trial, or undefined before the first one. Single-objective only. */
  get bestTrial() {
    return call(() => this.#wasm.bestTrial());
  }
  /** The best trials: the Pareto front of the COMPLETE trials (all ties, with one objective). */
  get bestTrials() {
    return this.#wasm.bestTrials();
  }
  /** The Pareto front of the COMPLETE trials (the same as `bestTrials`). */
  paretoFront() {
    return this.#wasm.bestTrials();
  }
  /** The hypervolume of the COMPLETE trials against `reference` (one value per objective). */
  hypervolume(reference) {
    return call(() => this.#wasm.hypervolume(new Float64Array(reference)));
  }
  /**
   * The hypervolume after each of `points` (1 to 1000) evenly spaced trial numbers, as
   * `[trialNumber, hypervolume]` pairs: the progress of a multi-objective study.
   */
  hypervolumeHistory(reference, points = 100) {
    return call(() => this.#wasm.hypervolumeHistory(new Float64Array(reference), points));
  }
  /**
   * Parameter importance, normalised to sum to 1, most important first. The evaluator
   * is PED-ANOVA (Optuna 5's default; `targetQuantile` is the top share compared) or
   * `"fanova"` or `"mdi"` (mean decrease impurity), both over a random forest seeded
   * with the study seed.
   */
  importance(options = {}) {
    const pairs = call(() => this.#wasm.importance(options.evaluator ?? "ped_anova", options.targetQuantile ?? 0.1, options.regionQuantile ?? 1));
    return Object.fromEntries(pairs);
  }
  trialsTable(options = {}) {
    if (options.format === "csv")
      return this.#wasm.trialsCsv();
    if (options.format !== void 0 && options.format !== "json") {
      throw invalid("format", `must be "json" or "csv", got ${String(options.format)}`);
    }
    return this.#wasm.trialsTable();
  }
  get bestParams() {
    return this.bestTrial?.params;
  }
  get bestValue() {
    return this.bestTrial?.value;
  }
  /**
   * Runs `objective` on new trials until `nTrials` ran, `timeoutMs` passed or `signal`
   * aborted, `concurrency` at a time. An objective that throws `TrialPruned` prunes
   * its trial; an error listed in `catch` fails it and optimization goes on; any other
   * error fails it, stops new trials, and is rethrown.
   */
  async optimize(objective, options = {}) {
    const { nTrials, timeoutMs, signal, onTrial } = options;
    const concurrency = options.concurrency ?? 1;
    if (nTrials !== void 0 && !(Number.isSafeInteger(nTrials) && nTrials >= 0)) {
      throw invalid("nTrials", `must be a whole number >= 0, got ${nTrials}`);
    }
    if (timeoutMs !== void 0 && !(timeoutMs >= 0)) {
      throw invalid("timeoutMs", `must be a number >= 0, got ${timeoutMs}`);
    }
    if (!(Number.isSafeInteger(concurrency) && concurrency >= 1 && concurrency <= 1024)) {
      throw invalid("concurrency", `must be a whole number from 1 to 1024, got ${concurrency}`);
    }
    if (nTrials === void 0 && timeoutMs === void 0 && signal === void 0) {
      throw invalid("nTrials", "give nTrials, timeoutMs or signal, or optimize would never stop");
    }
    const caught = /* @__PURE__ */ __name((e) => {
      const c = options.catch;
      if (c === void 0)
        return false;
      return typeof c === "function" ? c(e) : c.some((cls) => e instanceof cls);
    }, "caught");
    const deadline = timeoutMs === void 0 ? Infinity : Date.now() + timeoutMs;
    let started = 0;
    let failure;
    const canStart = /* @__PURE__ */ __name(() => failure === void 0 && !signal?.aborted && (nTrials === void 0 || started < nTrials) && Date.now() < deadline, "canStart");
    const runOne = /* @__PURE__ */ __name(async (trial) => {
      let result;
      try {
        result = await objective(trial);
      } catch (e) {
        if (e instanceof TrialPruned) {
          this.tell(trial, { state: "pruned" });
          return;
        }
        this.tell(trial, { state: "fail", reason: e instanceof Error ? e.message : String(e) });
        if (!caught(e))
          failure ??= { error: e };
        return;
      }
      try {
        this.tell(trial, result);
      } catch (e) {
        this.tell(trial, { state: "fail", reason: `the objective returned ${String(result)}` });
        failure ??= { error: e };
      }
    }, "runOne");
    const worker = /* @__PURE__ */ __name(async () => {
      while (canStart()) {
        started++;
        const trial = this.ask();
        await runOne(trial);
        onTrial?.(call(() => this.#wasm.trial(trial.number)));
      }
    }, "worker");
    await Promise.all(Array.from({ length: concurrency }, worker));
    if (failure !== void 0)
      throw failure.error;
  }
};
function createStudy(options) {
  return Study._create(options);
}
__name(createStudy, "createStudy");

// ../../js/dist/workerd.js
initSync({ module: wasmModule2 });

// ../golden/determinism.json
var determinism_default = {
  scenarios: [
    {
      n_trials: 20,
      name: "random",
      sampler: {
        type: "random"
      },
      search_space: [
        {
          high: 5,
          low: -5,
          name: "x",
          type: "float"
        },
        {
          high: 1,
          log: true,
          low: 1e-5,
          name: "lr",
          type: "float"
        },
        {
          high: 0.5,
          low: 0,
          name: "dropout",
          step: 0.05,
          type: "float"
        },
        {
          high: 10,
          low: 1,
          name: "n",
          type: "int"
        },
        {
          high: 128,
          low: 16,
          name: "batch",
          step: 16,
          type: "int"
        },
        {
          high: 1024,
          log: true,
          low: 1,
          name: "units",
          type: "int"
        },
        {
          choices: [
            "adam",
            "sgd",
            "rmsprop"
          ],
          name: "opt",
          type: "categorical"
        },
        {
          choices: [
            true,
            false,
            3
          ],
          name: "flag",
          type: "categorical"
        }
      ],
      seed: 42,
      trials: [
        {
          number: 0,
          params: {
            batch: 112,
            dropout: 0.2,
            flag: 3,
            lr: 3105762663000386e-19,
            n: 10,
            opt: "rmsprop",
            units: 1,
            x: 0.5213518231494172
          },
          value: 10.27180772350122
        },
        {
          number: 1,
          params: {
            batch: 128,
            dropout: 0,
            flag: false,
            lr: 14875952668178474e-21,
            n: 9,
            opt: "rmsprop",
            units: 10,
            x: -1.3438738841780684
          },
          value: 10.805997016575848
        },
        {
          number: 2,
          params: {
            batch: 96,
            dropout: 0.5,
            flag: false,
            lr: 0.49195474777441367,
            n: 5,
            opt: "sgd",
            units: 521,
            x: -2.3249131252603874
          },
          value: 11.405221040008023
        },
        {
          number: 3,
          params: {
            batch: 64,
            dropout: 0.25,
            flag: false,
            lr: 7665578285622867e-20,
            n: 9,
            opt: "sgd",
            units: 1,
            x: 1.5843798426575777
          },
          value: 12.51025948581965
        },
        {
          number: 4,
          params: {
            batch: 96,
            dropout: 0.35000000000000003,
            flag: false,
            lr: 0.05566309217955208,
            n: 6,
            opt: "rmsprop",
            units: 12,
            x: 1.201159302061475
          },
          value: 7.44278366892881
        },
        {
          number: 5,
          params: {
            batch: 64,
            dropout: 0.1,
            flag: true,
            lr: 0.9182141562453634,
            n: 2,
            opt: "rmsprop",
            units: 2,
            x: -4.533323305373216
          },
          value: 22.55102019103994
        },
        {
          number: 6,
          params: {
            batch: 16,
            dropout: 0.2,
            flag: false,
            lr: 0.005756290570808237,
            n: 7,
            opt: "rmsprop",
            units: 3,
            x: -2.76592783353658
          },
          value: 14.650356780332359
        },
        {
          number: 7,
          params: {
            batch: 48,
            dropout: 0.45,
            flag: 3,
            lr: 0.0996522105006637,
            n: 5,
            opt: "adam",
            units: 2,
            x: -4.006483766604266
          },
          value: 21.051912172063503
        },
        {
          number: 8,
          params: {
            batch: 48,
            dropout: 0.5,
            flag: true,
            lr: 3681387021460509e-20,
            n: 8,
            opt: "sgd",
            units: 2,
            x: 2.1283535016740993
          },
          value: 13.5298886280884
        },
        {
          number: 9,
          params: {
            batch: 80,
            dropout: 0.30000000000000004,
            flag: false,
            lr: 3407114686986674e-20,
            n: 1,
            opt: "rmsprop",
            units: 1,
            x: -3.198548922056742
          },
          value: 11.230715206790345
        },
        {
          number: 10,
          params: {
            batch: 48,
            dropout: 0,
            flag: false,
            lr: 0.045373185346740036,
            n: 8,
            opt: "adam",
            units: 11,
            x: -3.2044481264594515
          },
          value: 18.26848779516949
        },
        {
          number: 11,
          params: {
            batch: 64,
            dropout: 0.1,
            flag: 3,
            lr: 1462956870363155e-19,
            n: 9,
            opt: "sgd",
            units: 3,
            x: 4.030095148584298
          },
          value: 26.241666906642696
        },
        {
          number: 12,
          params: {
            batch: 96,
            dropout: 0.35000000000000003,
            flag: 3,
            lr: 0.003362455807104894,
            n: 9,
            opt: "adam",
            units: 6,
            x: -1.2604700508754982
          },
          value: 10.588784749154081
        },
        {
          number: 13,
          params: {
            batch: 32,
            dropout: 0.2,
            flag: true,
            lr: 7844426018137029e-19,
            n: 6,
            opt: "sgd",
            units: 8,
            x: -1.380318087339388
          },
          value: 8.905278022236267
        },
        {
          number: 14,
          params: {
            batch: 64,
            dropout: 0.15000000000000002,
            flag: true,
            lr: 0.1344999805387301,
            n: 5,
            opt: "adam",
            units: 937,
            x: -1.2999763242397275
          },
          value: 6.689938443583833
        },
        {
          number: 15,
          params: {
            batch: 96,
            dropout: 0.1,
            flag: 3,
            lr: 4212385504858898e-20,
            n: 7,
            opt: "adam",
            units: 179,
            x: -4.606274349061047
          },
          value: 28.217763378817768
        },
        {
          number: 16,
          params: {
            batch: 112,
            dropout: 0.35000000000000003,
            flag: true,
            lr: 0.4447959318470519,
            n: 1,
            opt: "sgd",
            units: 25,
            x: -0.7185104288444251
          },
          value: 2.5162572363581996
        },
        {
          number: 17,
          params: {
            batch: 128,
            dropout: 0.25,
            flag: false,
            lr: 0.002321285037055431,
            n: 5,
            opt: "adam",
            units: 48,
            x: -2.3876766374235228
          },
          value: 10.7009997248981
        },
        {
          number: 18,
          params: {
            batch: 32,
            dropout: 0.4,
            flag: true,
            lr: 12716650893122348e-20,
            n: 7,
            opt: "sgd",
            units: 893,
            x: -1.4597211258109812
          },
          value: 10.130785765138878
        },
        {
          number: 19,
          params: {
            batch: 16,
            dropout: 0.45,
            flag: true,
            lr: 320098050062772e-18,
            n: 7,
            opt: "adam",
            units: 24,
            x: 4.95448894190876
          },
          value: 31.546960675496187
        }
      ]
    },
    {
      n_trials: 30,
      name: "tpe",
      sampler: {
        n_startup_trials: 5,
        type: "tpe"
      },
      search_space: [
        {
          high: 5,
          low: -5,
          name: "x",
          type: "float"
        },
        {
          high: 1,
          log: true,
          low: 1e-5,
          name: "lr",
          type: "float"
        },
        {
          high: 0.5,
          low: 0,
          name: "dropout",
          step: 0.05,
          type: "float"
        },
        {
          high: 10,
          low: 1,
          name: "n",
          type: "int"
        },
        {
          high: 128,
          low: 16,
          name: "batch",
          step: 16,
          type: "int"
        },
        {
          high: 1024,
          log: true,
          low: 1,
          name: "units",
          type: "int"
        },
        {
          choices: [
            "adam",
            "sgd",
            "rmsprop"
          ],
          name: "opt",
          type: "categorical"
        },
        {
          choices: [
            true,
            false,
            3
          ],
          name: "flag",
          type: "categorical"
        }
      ],
      seed: 7,
      trials: [
        {
          number: 0,
          params: {
            batch: 48,
            dropout: 0.2,
            flag: true,
            lr: 4030945917517386e-20,
            n: 4,
            opt: "rmsprop",
            units: 11,
            x: -0.08652191719156832
          },
          value: 4.007486042154505
        },
        {
          number: 1,
          params: {
            batch: 80,
            dropout: 0.35000000000000003,
            flag: 3,
            lr: 46074999356244915e-20,
            n: 6,
            opt: "sgd",
            units: 1,
            x: 2.2065989380421005
          },
          value: 11.869078873368526
        },
        {
          number: 2,
          params: {
            batch: 96,
            dropout: 0.05,
            flag: true,
            lr: 0.7562671065790658,
            n: 10,
            opt: "rmsprop",
            units: 8,
            x: 1.6508514837666963
          },
          value: 12.725310621454703
        },
        {
          number: 3,
          params: {
            batch: 48,
            dropout: 0.1,
            flag: true,
            lr: 0.003233590590121478,
            n: 9,
            opt: "sgd",
            units: 4,
            x: 3.2212115868184306
          },
          value: 20.37620408705331
        },
        {
          number: 4,
          params: {
            batch: 96,
            dropout: 0.45,
            flag: 3,
            lr: 0.02118564183355451,
            n: 3,
            opt: "adam",
            units: 430,
            x: -4.097868175330891
          },
          value: 19.792523582389727
        },
        {
          number: 5,
          params: {
            batch: 112,
            dropout: 0.2,
            flag: true,
            lr: 0.0017152139394954612,
            n: 4,
            opt: "rmsprop",
            units: 1,
            x: -2.4959316993235547
          },
          value: 10.229675047688168
        },
        {
          number: 6,
          params: {
            batch: 16,
            dropout: 0.5,
            flag: true,
            lr: 25283637962887577e-21,
            n: 1,
            opt: "rmsprop",
            units: 12,
            x: -1.496188346639879
          },
          value: 3.238579568620975
        },
        {
          number: 7,
          params: {
            batch: 16,
            dropout: 0.4,
            flag: true,
            lr: 20207537968027395e-20,
            n: 7,
            opt: "rmsprop",
            units: 7,
            x: 0.07198362495344113
          },
          value: 7.005181642261437
        },
        {
          number: 8,
          params: {
            batch: 96,
            dropout: 0.45,
            flag: true,
            lr: 0.003290018698807338,
            n: 1,
            opt: "rmsprop",
            units: 155,
            x: 2.4223339693221195
          },
          value: 6.867701858931855
        },
        {
          number: 9,
          params: {
            batch: 16,
            dropout: 0.15000000000000002,
            flag: true,
            lr: 8972715238958549e-20,
            n: 10,
            opt: "rmsprop",
            units: 3,
            x: -3.9917995882386985
          },
          value: 25.934463952662643
        },
        {
          number: 10,
          params: {
            batch: 16,
            dropout: 0.2,
            flag: true,
            lr: 0.027507239520161184,
            n: 1,
            opt: "rmsprop",
            units: 5,
            x: -2.6521241223715104
          },
          value: 8.033762360464856
        },
        {
          number: 11,
          params: {
            batch: 32,
            dropout: 0.1,
            flag: true,
            lr: 17477496074020293e-20,
            n: 3,
            opt: "rmsprop",
            units: 77,
            x: -0.790489033341953
          },
          value: 3.6248729118338954
        },
        {
          number: 12,
          params: {
            batch: 16,
            dropout: 0.2,
            flag: true,
            lr: 0.002763935173276934,
            n: 1,
            opt: "rmsprop",
            units: 104,
            x: -2.8383539232829733
          },
          value: 9.056252993815846
        },
        {
          number: 13,
          params: {
            batch: 32,
            dropout: 0,
            flag: true,
            lr: 14309599991862445e-20,
            n: 4,
            opt: "rmsprop",
            units: 18,
            x: 1.8909368051680986
          },
          value: 7.575642001139336
        },
        {
          number: 14,
          params: {
            batch: 48,
            dropout: 0.2,
            flag: true,
            lr: 8276887188143847e-20,
            n: 4,
            opt: "rmsprop",
            units: 311,
            x: -3.3048495741803725
          },
          value: 14.92203070796019
        },
        {
          number: 15,
          params: {
            batch: 48,
            dropout: 0.35000000000000003,
            flag: true,
            lr: 0.0017922672119234388,
            n: 1,
            opt: "rmsprop",
            units: 22,
            x: 0.6930014134447099
          },
          value: 1.4802509590363657
        },
        {
          number: 16,
          params: {
            batch: 32,
            dropout: 0.45,
            flag: false,
            lr: 1313168389205085e-20,
            n: 1,
            opt: "rmsprop",
            units: 2,
            x: -1.3041404792117426
          },
          value: 2.7007823895186336
        },
        {
          number: 17,
          params: {
            batch: 32,
            dropout: 0.5,
            flag: false,
            lr: 0.028466502097454008,
            n: 1,
            opt: "rmsprop",
            units: 6,
            x: -2.0490954443285943
          },
          value: 5.198792139968199
        },
        {
          number: 18,
          params: {
            batch: 32,
            dropout: 0.45,
            flag: false,
            lr: 0.0010161902990952797,
            n: 1,
            opt: "rmsprop",
            units: 8,
            x: 0.8241554877619017
          },
          value: 1.6792322680080582
        },
        {
          number: 19,
          params: {
            batch: 48,
            dropout: 0.45,
            flag: false,
            lr: 46573802803273236e-21,
            n: 1,
            opt: "rmsprop",
            units: 28,
            x: 1.2232658655276958
          },
          value: 2.496379377765223
        },
        {
          number: 20,
          params: {
            batch: 64,
            dropout: 0.25,
            flag: true,
            lr: 0.004828318284377849,
            n: 1,
            opt: "rmsprop",
            units: 5,
            x: 2.120457428590177
          },
          value: 5.496339706463266
        },
        {
          number: 21,
          params: {
            batch: 32,
            dropout: 0.35000000000000003,
            flag: false,
            lr: 0.0014413644975232874,
            n: 1,
            opt: "rmsprop",
            units: 10,
            x: -0.17770435017757769
          },
          value: 1.0315788360720353
        },
        {
          number: 22,
          params: {
            batch: 48,
            dropout: 0.4,
            flag: false,
            lr: 0.0016329233676385343,
            n: 3,
            opt: "rmsprop",
            units: 15,
            x: -0.6332284069767165
          },
          value: 3.40097821540227
        },
        {
          number: 23,
          params: {
            batch: 16,
            dropout: 0.45,
            flag: false,
            lr: 0.0015470631287192319,
            n: 1,
            opt: "rmsprop",
            units: 34,
            x: 0.8149934051162284
          },
          value: 1.664214250382945
        },
        {
          number: 24,
          params: {
            batch: 16,
            dropout: 0.30000000000000004,
            flag: false,
            lr: 4078075410052605e-19,
            n: 1,
            opt: "rmsprop",
            units: 64,
            x: 1.559986026179316
          },
          value: 3.4335564018747333
        },
        {
          number: 25,
          params: {
            batch: 32,
            dropout: 0.30000000000000004,
            flag: true,
            lr: 0.006523171403470909,
            n: 1,
            opt: "rmsprop",
            units: 39,
            x: -0.018778080695641797
          },
          value: 1.0003526163146121
        },
        {
          number: 26,
          params: {
            batch: 48,
            dropout: 0.30000000000000004,
            flag: true,
            lr: 0.019959977239033585,
            n: 1,
            opt: "rmsprop",
            units: 19,
            x: 0.7870674548968015
          },
          value: 1.6194751785577286
        },
        {
          number: 27,
          params: {
            batch: 16,
            dropout: 0.25,
            flag: true,
            lr: 0.024928400005683117,
            n: 3,
            opt: "rmsprop",
            units: 221,
            x: -0.16154581118887
          },
          value: 3.02609704911267
        },
        {
          number: 28,
          params: {
            batch: 48,
            dropout: 0.25,
            flag: false,
            lr: 0.0010732999928819364,
            n: 2,
            opt: "rmsprop",
            units: 4,
            x: -0.4709500765108925
          },
          value: 2.2217939745656157
        },
        {
          number: 29,
          params: {
            batch: 16,
            dropout: 0.35000000000000003,
            flag: false,
            lr: 0.01031785621338221,
            n: 2,
            opt: "rmsprop",
            units: 4,
            x: -0.7812791789928988
          },
          value: 2.610397155527818
        }
      ]
    },
    {
      n_trials: 20,
      name: "tpe-univariate",
      sampler: {
        multivariate: false,
        n_startup_trials: 4,
        type: "TPESampler"
      },
      search_space: [
        {
          high: 5,
          low: -5,
          name: "x",
          type: "float"
        },
        {
          high: 1,
          log: true,
          low: 1e-5,
          name: "lr",
          type: "float"
        },
        {
          high: 0.5,
          low: 0,
          name: "dropout",
          step: 0.05,
          type: "float"
        },
        {
          high: 10,
          low: 1,
          name: "n",
          type: "int"
        },
        {
          high: 128,
          low: 16,
          name: "batch",
          step: 16,
          type: "int"
        },
        {
          high: 1024,
          log: true,
          low: 1,
          name: "units",
          type: "int"
        },
        {
          choices: [
            "adam",
            "sgd",
            "rmsprop"
          ],
          name: "opt",
          type: "categorical"
        },
        {
          choices: [
            true,
            false,
            3
          ],
          name: "flag",
          type: "categorical"
        }
      ],
      seed: 8,
      trials: [
        {
          number: 0,
          params: {
            batch: 128,
            dropout: 0.15000000000000002,
            flag: false,
            lr: 0.11977688247366357,
            n: 6,
            opt: "adam",
            units: 23,
            x: 3.1193847508494237
          },
          value: 15.730561223831922
        },
        {
          number: 1,
          params: {
            batch: 96,
            dropout: 0.05,
            flag: true,
            lr: 0.001642918304368524,
            n: 5,
            opt: "sgd",
            units: 1,
            x: -4.853936023487339
          },
          value: 29.560694920108084
        },
        {
          number: 2,
          params: {
            batch: 112,
            dropout: 0.35000000000000003,
            flag: true,
            lr: 0.2993724299326228,
            n: 1,
            opt: "adam",
            units: 41,
            x: 0.35435173067929604
          },
          value: 1.1255651490354124
        },
        {
          number: 3,
          params: {
            batch: 80,
            dropout: 0.4,
            flag: true,
            lr: 11501393453766015e-20,
            n: 9,
            opt: "adam",
            units: 106,
            x: -3.794452374862086
          },
          value: 23.397868825096523
        },
        {
          number: 4,
          params: {
            batch: 16,
            dropout: 0.5,
            flag: 3,
            lr: 0.7946961005293163,
            n: 1,
            opt: "rmsprop",
            units: 926,
            x: 1.6026616630589474
          },
          value: 3.568524406238871
        },
        {
          number: 5,
          params: {
            batch: 16,
            dropout: 0.25,
            flag: true,
            lr: 13943501232361826e-21,
            n: 1,
            opt: "adam",
            units: 1,
            x: -0.06350729248753034
          },
          value: 1.0040331761990968
        },
        {
          number: 6,
          params: {
            batch: 16,
            dropout: 0.2,
            flag: false,
            lr: 12714276983463538e-21,
            n: 10,
            opt: "sgd",
            units: 1,
            x: -1.3160681701557608
          },
          value: 12.732035428497133
        },
        {
          number: 7,
          params: {
            batch: 64,
            dropout: 0,
            flag: 3,
            lr: 0.0077341670461557365,
            n: 4,
            opt: "rmsprop",
            units: 4,
            x: 4.961340279688743
          },
          value: 28.614897370861975
        },
        {
          number: 8,
          params: {
            batch: 48,
            dropout: 0.25,
            flag: true,
            lr: 0.005135781767259408,
            n: 7,
            opt: "adam",
            units: 990,
            x: -2.0656940607236574
          },
          value: 11.267091952508993
        },
        {
          number: 9,
          params: {
            batch: 48,
            dropout: 0.30000000000000004,
            flag: true,
            lr: 1259877128149725e-20,
            n: 3,
            opt: "adam",
            units: 5,
            x: -0.48313514364838306
          },
          value: 3.2334195670281436
        },
        {
          number: 10,
          params: {
            batch: 32,
            dropout: 0.1,
            flag: false,
            lr: 14294605608809773e-20,
            n: 8,
            opt: "sgd",
            units: 186,
            x: 2.3415404618469915
          },
          value: 14.482811734466623
        },
        {
          number: 11,
          params: {
            batch: 128,
            dropout: 0.35000000000000003,
            flag: true,
            lr: 0.043258845906829456,
            n: 1,
            opt: "adam",
            units: 18,
            x: 0.4666321777390247
          },
          value: 1.2177455893014648
        },
        {
          number: 12,
          params: {
            batch: 96,
            dropout: 0.45,
            flag: true,
            lr: 3219612625833987e-19,
            n: 2,
            opt: "adam",
            units: 42,
            x: 0.5431076608397577
          },
          value: 2.2949659312628334
        },
        {
          number: 13,
          params: {
            batch: 112,
            dropout: 0.30000000000000004,
            flag: true,
            lr: 0.2697661249026898,
            n: 3,
            opt: "adam",
            units: 5,
            x: -2.434013291460183
          },
          value: 8.924420703004834
        },
        {
          number: 14,
          params: {
            batch: 64,
            dropout: 0.2,
            flag: 3,
            lr: 0.0314593254227188,
            n: 1,
            opt: "rmsprop",
            units: 191,
            x: 0.15157519952723866
          },
          value: 1.0229750411117222
        },
        {
          number: 15,
          params: {
            batch: 48,
            dropout: 0.2,
            flag: 3,
            lr: 0.021974632410311487,
            n: 3,
            opt: "rmsprop",
            units: 233,
            x: 3.6378155290158034
          },
          value: 16.23370182314853
        },
        {
          number: 16,
          params: {
            batch: 64,
            dropout: 0.15000000000000002,
            flag: 3,
            lr: 9063826565896204e-19,
            n: 2,
            opt: "rmsprop",
            units: 2,
            x: 1.648357000663971
          },
          value: 4.717080801637922
        },
        {
          number: 17,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: 3,
            lr: 5506327772616447e-20,
            n: 2,
            opt: "rmsprop",
            units: 10,
            x: -0.9035728740933335
          },
          value: 2.816443938797287
        },
        {
          number: 18,
          params: {
            batch: 32,
            dropout: 0.1,
            flag: 3,
            lr: 0.0017253089000651772,
            n: 4,
            opt: "rmsprop",
            units: 323,
            x: -2.9826480664791917
          },
          value: 12.89618948847206
        },
        {
          number: 19,
          params: {
            batch: 80,
            dropout: 0.25,
            flag: 3,
            lr: 0.012748304311239142,
            n: 1,
            opt: "rmsprop",
            units: 82,
            x: -0.22973064369372334
          },
          value: 1.0527761686519326
        }
      ]
    },
    {
      n_trials: 12,
      name: "qmc-sobol-scrambled",
      sampler: {
        scramble: true,
        type: "qmc"
      },
      search_space: [
        {
          high: 5,
          low: -5,
          name: "x",
          type: "float"
        },
        {
          high: 1,
          log: true,
          low: 1e-5,
          name: "lr",
          type: "float"
        },
        {
          high: 0.5,
          low: 0,
          name: "dropout",
          step: 0.05,
          type: "float"
        },
        {
          high: 10,
          low: 1,
          name: "n",
          type: "int"
        },
        {
          high: 128,
          low: 16,
          name: "batch",
          step: 16,
          type: "int"
        },
        {
          high: 1024,
          log: true,
          low: 1,
          name: "units",
          type: "int"
        },
        {
          choices: [
            "adam",
            "sgd",
            "rmsprop"
          ],
          name: "opt",
          type: "categorical"
        },
        {
          choices: [
            true,
            false,
            3
          ],
          name: "flag",
          type: "categorical"
        }
      ],
      seed: 9,
      trials: [
        {
          number: 0,
          params: {
            batch: 128,
            dropout: 0,
            flag: false,
            lr: 0.002046064824451013,
            n: 6,
            opt: "sgd",
            units: 2,
            x: 3.5248660971115626
          },
          value: 19.4246810025665
        },
        {
          number: 1,
          params: {
            batch: 112,
            dropout: 0.05,
            flag: true,
            lr: 0.1820199497788879,
            n: 9,
            opt: "sgd",
            units: 60,
            x: 4.656150173395872
          },
          value: 31.67973443721441
        },
        {
          number: 2,
          params: {
            batch: 48,
            dropout: 0.4,
            flag: 3,
            lr: 35604468092054924e-21,
            n: 2,
            opt: "rmsprop",
            units: 8,
            x: -4.337985189631581
          },
          value: 20.818115505462945
        },
        {
          number: 3,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: false,
            lr: 0.0058216051295034,
            n: 3,
            opt: "sgd",
            units: 241,
            x: -1.4694190956652164
          },
          value: 6.159192478705583
        },
        {
          number: 4,
          params: {
            batch: 96,
            dropout: 0.30000000000000004,
            flag: false,
            lr: 3009745428025402e-19,
            n: 7,
            opt: "adam",
            units: 2,
            x: 2.407548977062106
          },
          value: 12.796292076952794
        },
        {
          number: 5,
          params: {
            batch: 80,
            dropout: 0.15000000000000002,
            flag: 3,
            lr: 0.002264402104307299,
            n: 6,
            opt: "sgd",
            units: 762,
            x: -0.2393053099513054
          },
          value: 7.05726703137089
        },
        {
          number: 6,
          params: {
            batch: 16,
            dropout: 0.35000000000000003,
            flag: true,
            lr: 0.05301373136721295,
            n: 4,
            opt: "rmsprop",
            units: 1,
            x: 1.1767097655683756
          },
          value: 5.384645872383981
        },
        {
          number: 7,
          params: {
            batch: 64,
            dropout: 0.05,
            flag: 3,
            lr: 8321226114590633e-20,
            n: 1,
            opt: "sgd",
            units: 49,
            x: 3.303103558719158
          },
          value: 12.910493119623167
        },
        {
          number: 8,
          params: {
            batch: 128,
            dropout: 0.5,
            flag: true,
            lr: 0.3594398487724613,
            n: 10,
            opt: "adam",
            units: 10,
            x: -2.995734801515937
          },
          value: 18.97442700101373
        },
        {
          number: 9,
          params: {
            batch: 128,
            dropout: 0.2,
            flag: false,
            lr: 0.014271788128452593,
            n: 2,
            opt: "adam",
            units: 471,
            x: -0.7011700049042702
          },
          value: 2.491639375777454
        },
        {
          number: 10,
          params: {
            batch: 64,
            dropout: 0.30000000000000004,
            flag: false,
            lr: 0.0010568140944251497,
            n: 9,
            opt: "sgd",
            units: 1,
            x: 0.3828148636966944
          },
          value: 10.146547219867118
        },
        {
          number: 11,
          params: {
            batch: 16,
            dropout: 0.1,
            flag: 3,
            lr: 0.6393388538823848,
            n: 8,
            opt: "rmsprop",
            units: 31,
            x: 2.6312682405114174
          },
          value: 14.92357255352405
        }
      ]
    },
    {
      n_trials: 12,
      name: "qmc-halton",
      sampler: {
        qmc_type: "halton",
        type: "QMCSampler"
      },
      search_space: [
        {
          high: 5,
          low: -5,
          name: "x",
          type: "float"
        },
        {
          high: 1,
          log: true,
          low: 1e-5,
          name: "lr",
          type: "float"
        },
        {
          high: 0.5,
          low: 0,
          name: "dropout",
          step: 0.05,
          type: "float"
        },
        {
          high: 10,
          low: 1,
          name: "n",
          type: "int"
        },
        {
          high: 128,
          low: 16,
          name: "batch",
          step: 16,
          type: "int"
        },
        {
          high: 1024,
          log: true,
          low: 1,
          name: "units",
          type: "int"
        },
        {
          choices: [
            "adam",
            "sgd",
            "rmsprop"
          ],
          name: "opt",
          type: "categorical"
        },
        {
          choices: [
            true,
            false,
            3
          ],
          name: "flag",
          type: "categorical"
        }
      ],
      seed: 10,
      trials: [
        {
          number: 0,
          params: {
            batch: 80,
            dropout: 0.15000000000000002,
            flag: false,
            lr: 0.001819136372286023,
            n: 5,
            opt: "adam",
            units: 6,
            x: 4.388843158639013
          },
          value: 24.261944271132464
        },
        {
          number: 1,
          params: {
            batch: 16,
            dropout: 0,
            flag: true,
            lr: 1e-5,
            n: 1,
            opt: "adam",
            units: 1,
            x: -5
          },
          value: 26
        },
        {
          number: 2,
          params: {
            batch: 80,
            dropout: 0.15000000000000002,
            flag: true,
            lr: 51794746792312125e-21,
            n: 1,
            opt: "adam",
            units: 1,
            x: -4.473684210526316
          },
          value: 21.013850415512465
        },
        {
          number: 3,
          params: {
            batch: 48,
            dropout: 0.35000000000000003,
            flag: false,
            lr: 26826957952797234e-20,
            n: 2,
            opt: "adam",
            units: 1,
            x: -3.947368421052632
          },
          value: 17.58171745152355
        },
        {
          number: 4,
          params: {
            batch: 112,
            dropout: 0.05,
            flag: false,
            lr: 0.0013894954943731372,
            n: 3,
            opt: "adam",
            units: 2,
            x: -3.4210526315789473
          },
          value: 14.70360110803324
        },
        {
          number: 5,
          params: {
            batch: 32,
            dropout: 0.2,
            flag: 3,
            lr: 0.007196856730011515,
            n: 4,
            opt: "adam",
            units: 3,
            x: -2.8947368421052633
          },
          value: 12.379501385041552
        },
        {
          number: 6,
          params: {
            batch: 96,
            dropout: 0.4,
            flag: true,
            lr: 0.03727593720314936,
            n: 5,
            opt: "sgd",
            units: 5,
            x: -2.368421052631579
          },
          value: 11.609418282548479
        },
        {
          number: 7,
          params: {
            batch: 64,
            dropout: 0.1,
            flag: true,
            lr: 0.19306977288832491,
            n: 6,
            opt: "sgd",
            units: 7,
            x: -1.8421052631578947
          },
          value: 10.393351800554017
        },
        {
          number: 8,
          params: {
            batch: 128,
            dropout: 0.30000000000000004,
            flag: false,
            lr: 12648552168552953e-21,
            n: 7,
            opt: "sgd",
            units: 12,
            x: -1.3157894736842106
          },
          value: 9.731301939058172
        },
        {
          number: 9,
          params: {
            batch: 16,
            dropout: 0.45,
            flag: false,
            lr: 6551285568595508e-20,
            n: 8,
            opt: "sgd",
            units: 18,
            x: -0.7894736842105265
          },
          value: 9.623268698060942
        },
        {
          number: 10,
          params: {
            batch: 80,
            dropout: 0,
            flag: 3,
            lr: 339322177189533e-18,
            n: 9,
            opt: "rmsprop",
            units: 28,
            x: -0.2631578947368425
          },
          value: 9.069252077562327
        },
        {
          number: 11,
          params: {
            batch: 48,
            dropout: 0.2,
            flag: true,
            lr: 0.001757510624854792,
            n: 10,
            opt: "rmsprop",
            units: 44,
            x: 0.2631578947368416
          },
          value: 10.069252077562327
        }
      ]
    },
    {
      n_trials: 24,
      name: "nsga2",
      sampler: {
        population_size: 4,
        type: "nsga2"
      },
      search_space: [
        {
          high: 5,
          low: -5,
          name: "x",
          type: "float"
        },
        {
          high: 1,
          log: true,
          low: 1e-5,
          name: "lr",
          type: "float"
        },
        {
          high: 0.5,
          low: 0,
          name: "dropout",
          step: 0.05,
          type: "float"
        },
        {
          high: 10,
          low: 1,
          name: "n",
          type: "int"
        },
        {
          high: 128,
          low: 16,
          name: "batch",
          step: 16,
          type: "int"
        },
        {
          high: 1024,
          log: true,
          low: 1,
          name: "units",
          type: "int"
        },
        {
          choices: [
            "adam",
            "sgd",
            "rmsprop"
          ],
          name: "opt",
          type: "categorical"
        },
        {
          choices: [
            true,
            false,
            3
          ],
          name: "flag",
          type: "categorical"
        }
      ],
      seed: 11,
      trials: [
        {
          number: 0,
          params: {
            batch: 32,
            dropout: 0.15000000000000002,
            flag: false,
            lr: 0.0016039512050934498,
            n: 4,
            opt: "adam",
            units: 655,
            x: -2.6462350045503324
          },
          value: 11.002559699307497
        },
        {
          number: 1,
          params: {
            batch: 64,
            dropout: 0.35000000000000003,
            flag: 3,
            lr: 0.0015580032256894043,
            n: 4,
            opt: "adam",
            units: 198,
            x: -4.85336811531869
          },
          value: 27.555182062792095
        },
        {
          number: 2,
          params: {
            batch: 80,
            dropout: 0.4,
            flag: true,
            lr: 0.0011814117129993486,
            n: 1,
            opt: "rmsprop",
            units: 24,
            x: -2.0359705343219403
          },
          value: 5.145176016627167
        },
        {
          number: 3,
          params: {
            batch: 32,
            dropout: 0,
            flag: false,
            lr: 0.9891373217292437,
            n: 4,
            opt: "sgd",
            units: 4,
            x: -1.1266134036099729
          },
          value: 6.269257761193647
        },
        {
          number: 4,
          params: {
            batch: 32,
            dropout: 0.4,
            flag: 3,
            lr: 0.0011814117129993486,
            n: 1,
            opt: "sgd",
            units: 4,
            x: -1.1266134036099729
          },
          value: 3.2692577611936473
        },
        {
          number: 5,
          params: {
            batch: 32,
            dropout: 0.05,
            flag: false,
            lr: 0.0016039512050934498,
            n: 4,
            opt: "sgd",
            units: 4,
            x: -1.1266134036099729
          },
          value: 6.269257761193647
        },
        {
          number: 6,
          params: {
            batch: 64,
            dropout: 0.5,
            flag: true,
            lr: 0.0015580032256894043,
            n: 1,
            opt: "adam",
            units: 24,
            x: -4.85336811531869
          },
          value: 24.555182062792095
        },
        {
          number: 7,
          params: {
            batch: 32,
            dropout: 0.35000000000000003,
            flag: false,
            lr: 0.9891373217292437,
            n: 1,
            opt: "rmsprop",
            units: 4,
            x: -3.514491647558108
          },
          value: 13.351651540755705
        },
        {
          number: 8,
          params: {
            batch: 32,
            dropout: 0,
            flag: false,
            lr: 0.0011814117129993486,
            n: 1,
            opt: "sgd",
            units: 4,
            x: 0.5441759518701463
          },
          value: 2.29612746659378
        },
        {
          number: 9,
          params: {
            batch: 32,
            dropout: 0.05,
            flag: false,
            lr: 0.0011814117129993486,
            n: 4,
            opt: "sgd",
            units: 4,
            x: -1.1266134036099729
          },
          value: 6.269257761193647
        },
        {
          number: 10,
          params: {
            batch: 32,
            dropout: 0.4,
            flag: true,
            lr: 0.0011814117129993486,
            n: 1,
            opt: "sgd",
            units: 4,
            x: 0.7942311971331195
          },
          value: 2.6308031944995083
        },
        {
          number: 11,
          params: {
            batch: 32,
            dropout: 0.4,
            flag: 3,
            lr: 0.0011814117129993486,
            n: 1,
            opt: "sgd",
            units: 24,
            x: -1.1266134036099729
          },
          value: 3.2692577611936473
        },
        {
          number: 12,
          params: {
            batch: 32,
            dropout: 0.4,
            flag: 3,
            lr: 0.0011814117129993486,
            n: 1,
            opt: "sgd",
            units: 24,
            x: -1.1266134036099729
          },
          value: 3.2692577611936473
        },
        {
          number: 13,
          params: {
            batch: 48,
            dropout: 0,
            flag: false,
            lr: 0.0011814117129993486,
            n: 1,
            opt: "sgd",
            units: 1,
            x: 0.5441759518701463
          },
          value: 2.29612746659378
        },
        {
          number: 14,
          params: {
            batch: 32,
            dropout: 0.4,
            flag: false,
            lr: 0.0011814117129993486,
            n: 1,
            opt: "sgd",
            units: 2,
            x: 0.7942311971331195
          },
          value: 2.6308031944995083
        },
        {
          number: 15,
          params: {
            batch: 32,
            dropout: 0,
            flag: false,
            lr: 0.0011814117129993486,
            n: 1,
            opt: "sgd",
            units: 117,
            x: 0.7942311971331195
          },
          value: 2.6308031944995083
        },
        {
          number: 16,
          params: {
            batch: 32,
            dropout: 0.4,
            flag: false,
            lr: 0.0011814117129993486,
            n: 1,
            opt: "sgd",
            units: 4,
            x: 0.7942311971331195
          },
          value: 2.6308031944995083
        },
        {
          number: 17,
          params: {
            batch: 32,
            dropout: 0,
            flag: false,
            lr: 0.0011814117129993486,
            n: 1,
            opt: "sgd",
            units: 17,
            x: -1.3019561878652173
          },
          value: 3.695089915120529
        },
        {
          number: 18,
          params: {
            batch: 32,
            dropout: 0,
            flag: false,
            lr: 0.0011814117129993486,
            n: 1,
            opt: "sgd",
            units: 4,
            x: 0.5441759518701463
          },
          value: 2.29612746659378
        },
        {
          number: 19,
          params: {
            batch: 32,
            dropout: 0.4,
            flag: false,
            lr: 0.0011814117129993486,
            n: 1,
            opt: "sgd",
            units: 4,
            x: 0.5441759518701463
          },
          value: 2.29612746659378
        },
        {
          number: 20,
          params: {
            batch: 32,
            dropout: 0,
            flag: false,
            lr: 0.0011814117129993486,
            n: 1,
            opt: "sgd",
            units: 4,
            x: -3.900051045845221
          },
          value: 17.2103981601984
        },
        {
          number: 21,
          params: {
            batch: 80,
            dropout: 0.4,
            flag: false,
            lr: 0.0011814117129993486,
            n: 1,
            opt: "sgd",
            units: 4,
            x: 0.5441759518701463
          },
          value: 2.29612746659378
        },
        {
          number: 22,
          params: {
            batch: 32,
            dropout: 0.4,
            flag: false,
            lr: 0.0011814117129993486,
            n: 1,
            opt: "sgd",
            units: 4,
            x: 0.5441759518701463
          },
          value: 2.29612746659378
        },
        {
          number: 23,
          params: {
            batch: 32,
            dropout: 0,
            flag: false,
            lr: 0.0011814117129993486,
            n: 5,
            opt: "sgd",
            units: 4,
            x: 0.5441759518701463
          },
          value: 6.29612746659378
        }
      ]
    },
    {
      n_trials: 24,
      name: "nsga3",
      sampler: {
        population_size: 4,
        type: "NSGAIIISampler"
      },
      search_space: [
        {
          high: 5,
          low: -5,
          name: "x",
          type: "float"
        },
        {
          high: 1,
          log: true,
          low: 1e-5,
          name: "lr",
          type: "float"
        },
        {
          high: 0.5,
          low: 0,
          name: "dropout",
          step: 0.05,
          type: "float"
        },
        {
          high: 10,
          low: 1,
          name: "n",
          type: "int"
        },
        {
          high: 128,
          low: 16,
          name: "batch",
          step: 16,
          type: "int"
        },
        {
          high: 1024,
          log: true,
          low: 1,
          name: "units",
          type: "int"
        },
        {
          choices: [
            "adam",
            "sgd",
            "rmsprop"
          ],
          name: "opt",
          type: "categorical"
        },
        {
          choices: [
            true,
            false,
            3
          ],
          name: "flag",
          type: "categorical"
        }
      ],
      seed: 12,
      trials: [
        {
          number: 0,
          params: {
            batch: 32,
            dropout: 0.2,
            flag: false,
            lr: 0.006910368610001663,
            n: 8,
            opt: "adam",
            units: 227,
            x: -1.2379568232188642
          },
          value: 9.532537096154142
        },
        {
          number: 1,
          params: {
            batch: 128,
            dropout: 0.4,
            flag: 3,
            lr: 0.0031539596256557577,
            n: 3,
            opt: "adam",
            units: 63,
            x: 2.265392624804136
          },
          value: 8.132003744516972
        },
        {
          number: 2,
          params: {
            batch: 32,
            dropout: 0,
            flag: false,
            lr: 11584629892856075e-21,
            n: 8,
            opt: "sgd",
            units: 1,
            x: -1.2612496536401063
          },
          value: 10.590750688807288
        },
        {
          number: 3,
          params: {
            batch: 80,
            dropout: 0.30000000000000004,
            flag: true,
            lr: 6898522353916024e-19,
            n: 7,
            opt: "sgd",
            units: 7,
            x: 0.9696792015577147
          },
          value: 8.940277753933607
        },
        {
          number: 4,
          params: {
            batch: 128,
            dropout: 0.4,
            flag: 3,
            lr: 0.0031539596256557577,
            n: 7,
            opt: "sgd",
            units: 6,
            x: 2.265392624804136
          },
          value: 13.132003744516972
        },
        {
          number: 5,
          params: {
            batch: 128,
            dropout: 0.30000000000000004,
            flag: 3,
            lr: 6898522353916024e-19,
            n: 7,
            opt: "adam",
            units: 7,
            x: 0.9696792015577147
          },
          value: 7.940277753933607
        },
        {
          number: 6,
          params: {
            batch: 32,
            dropout: 0.2,
            flag: 3,
            lr: 0.006910368610001663,
            n: 3,
            opt: "rmsprop",
            units: 63,
            x: -1.2379568232188642
          },
          value: 4.532537096154142
        },
        {
          number: 7,
          params: {
            batch: 32,
            dropout: 0.45,
            flag: true,
            lr: 11584629892856075e-21,
            n: 8,
            opt: "sgd",
            units: 1,
            x: 0.9696792015577147
          },
          value: 9.940277753933607
        },
        {
          number: 8,
          params: {
            batch: 32,
            dropout: 0.2,
            flag: false,
            lr: 0.0031539596256557577,
            n: 3,
            opt: "adam",
            units: 63,
            x: 2.265392624804136
          },
          value: 8.132003744516972
        },
        {
          number: 9,
          params: {
            batch: 128,
            dropout: 0.4,
            flag: 3,
            lr: 0.0031539596256557577,
            n: 3,
            opt: "rmsprop",
            units: 7,
            x: 2.5521538746434045
          },
          value: 9.513489399857342
        },
        {
          number: 10,
          params: {
            batch: 32,
            dropout: 0.30000000000000004,
            flag: 3,
            lr: 6898522353916024e-19,
            n: 3,
            opt: "rmsprop",
            units: 63,
            x: -1.2379568232188642
          },
          value: 4.532537096154142
        },
        {
          number: 11,
          params: {
            batch: 32,
            dropout: 0.5,
            flag: 3,
            lr: 0.052792145787393344,
            n: 7,
            opt: "rmsprop",
            units: 63,
            x: 0.9696792015577147
          },
          value: 7.940277753933607
        },
        {
          number: 12,
          params: {
            batch: 64,
            dropout: 0.2,
            flag: 3,
            lr: 0.006910368610001663,
            n: 3,
            opt: "rmsprop",
            units: 63,
            x: -1.2379568232188642
          },
          value: 4.532537096154142
        },
        {
          number: 13,
          params: {
            batch: 32,
            dropout: 0.30000000000000004,
            flag: 3,
            lr: 0.052792145787393344,
            n: 7,
            opt: "sgd",
            units: 63,
            x: -3.723743628832441
          },
          value: 21.8662666132702
        },
        {
          number: 14,
          params: {
            batch: 128,
            dropout: 0.30000000000000004,
            flag: 3,
            lr: 3696254468709902e-19,
            n: 3,
            opt: "adam",
            units: 63,
            x: -1.2379568232188642
          },
          value: 4.532537096154142
        },
        {
          number: 15,
          params: {
            batch: 32,
            dropout: 0.2,
            flag: false,
            lr: 0.006910368610001663,
            n: 3,
            opt: "rmsprop",
            units: 63,
            x: -1.2379568232188642
          },
          value: 4.532537096154142
        },
        {
          number: 16,
          params: {
            batch: 32,
            dropout: 0.2,
            flag: false,
            lr: 0.006910368610001663,
            n: 3,
            opt: "rmsprop",
            units: 2,
            x: -1.2379568232188642
          },
          value: 4.532537096154142
        },
        {
          number: 17,
          params: {
            batch: 32,
            dropout: 0,
            flag: 3,
            lr: 0.006910368610001663,
            n: 3,
            opt: "rmsprop",
            units: 32,
            x: -1.2379568232188642
          },
          value: 4.532537096154142
        },
        {
          number: 18,
          params: {
            batch: 32,
            dropout: 0.2,
            flag: 3,
            lr: 0.006910368610001663,
            n: 3,
            opt: "adam",
            units: 63,
            x: -1.2379568232188642
          },
          value: 4.532537096154142
        },
        {
          number: 19,
          params: {
            batch: 32,
            dropout: 0.2,
            flag: 3,
            lr: 0.006910368610001663,
            n: 3,
            opt: "rmsprop",
            units: 63,
            x: -1.2379568232188642
          },
          value: 4.532537096154142
        },
        {
          number: 20,
          params: {
            batch: 64,
            dropout: 0.2,
            flag: 3,
            lr: 0.006910368610001663,
            n: 3,
            opt: "rmsprop",
            units: 63,
            x: -1.2379568232188642
          },
          value: 4.532537096154142
        },
        {
          number: 21,
          params: {
            batch: 32,
            dropout: 0,
            flag: 3,
            lr: 0.006910368610001663,
            n: 3,
            opt: "rmsprop",
            units: 63,
            x: -1.2379568232188642
          },
          value: 4.532537096154142
        },
        {
          number: 22,
          params: {
            batch: 32,
            dropout: 0.2,
            flag: true,
            lr: 0.006910368610001663,
            n: 3,
            opt: "rmsprop",
            units: 63,
            x: -1.2379568232188642
          },
          value: 4.532537096154142
        },
        {
          number: 23,
          params: {
            batch: 32,
            dropout: 0.2,
            flag: 3,
            lr: 0.08846750050597363,
            n: 3,
            opt: "rmsprop",
            units: 32,
            x: -1.2379568232188642
          },
          value: 4.532537096154142
        }
      ]
    },
    {
      n_trials: 20,
      name: "grid",
      sampler: {
        search_space: {
          batch: [
            32
          ],
          dropout: [
            0.25
          ],
          flag: [
            true,
            3
          ],
          lr: [
            1e-3,
            0.1
          ],
          n: [
            1,
            5
          ],
          opt: [
            "adam",
            "sgd"
          ],
          units: [
            64
          ],
          x: [
            -1.5,
            0,
            2
          ]
        },
        type: "grid"
      },
      search_space: [
        {
          high: 5,
          low: -5,
          name: "x",
          type: "float"
        },
        {
          high: 1,
          log: true,
          low: 1e-5,
          name: "lr",
          type: "float"
        },
        {
          high: 0.5,
          low: 0,
          name: "dropout",
          step: 0.05,
          type: "float"
        },
        {
          high: 10,
          low: 1,
          name: "n",
          type: "int"
        },
        {
          high: 128,
          low: 16,
          name: "batch",
          step: 16,
          type: "int"
        },
        {
          high: 1024,
          log: true,
          low: 1,
          name: "units",
          type: "int"
        },
        {
          choices: [
            "adam",
            "sgd",
            "rmsprop"
          ],
          name: "opt",
          type: "categorical"
        },
        {
          choices: [
            true,
            false,
            3
          ],
          name: "flag",
          type: "categorical"
        }
      ],
      seed: 13,
      trials: [
        {
          number: 0,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: true,
            lr: 1e-3,
            n: 1,
            opt: "sgd",
            units: 64,
            x: -1.5
          },
          value: 4.25
        },
        {
          number: 1,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: 3,
            lr: 1e-3,
            n: 5,
            opt: "sgd",
            units: 64,
            x: 2
          },
          value: 10
        },
        {
          number: 2,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: 3,
            lr: 1e-3,
            n: 1,
            opt: "sgd",
            units: 64,
            x: 0
          },
          value: 2
        },
        {
          number: 3,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: 3,
            lr: 0.1,
            n: 5,
            opt: "adam",
            units: 64,
            x: 0
          },
          value: 5
        },
        {
          number: 4,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: 3,
            lr: 1e-3,
            n: 5,
            opt: "adam",
            units: 64,
            x: 2
          },
          value: 9
        },
        {
          number: 5,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: true,
            lr: 0.1,
            n: 5,
            opt: "adam",
            units: 64,
            x: 0
          },
          value: 5
        },
        {
          number: 6,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: 3,
            lr: 1e-3,
            n: 5,
            opt: "adam",
            units: 64,
            x: -1.5
          },
          value: 7.25
        },
        {
          number: 7,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: 3,
            lr: 1e-3,
            n: 1,
            opt: "adam",
            units: 64,
            x: -1.5
          },
          value: 3.25
        },
        {
          number: 8,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: 3,
            lr: 0.1,
            n: 1,
            opt: "sgd",
            units: 64,
            x: 0
          },
          value: 2
        },
        {
          number: 9,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: true,
            lr: 1e-3,
            n: 5,
            opt: "adam",
            units: 64,
            x: 0
          },
          value: 5
        },
        {
          number: 10,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: true,
            lr: 1e-3,
            n: 5,
            opt: "adam",
            units: 64,
            x: -1.5
          },
          value: 7.25
        },
        {
          number: 11,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: true,
            lr: 0.1,
            n: 5,
            opt: "adam",
            units: 64,
            x: -1.5
          },
          value: 7.25
        },
        {
          number: 12,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: 3,
            lr: 0.1,
            n: 5,
            opt: "sgd",
            units: 64,
            x: -1.5
          },
          value: 8.25
        },
        {
          number: 13,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: 3,
            lr: 0.1,
            n: 1,
            opt: "sgd",
            units: 64,
            x: 2
          },
          value: 6
        },
        {
          number: 14,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: true,
            lr: 0.1,
            n: 5,
            opt: "sgd",
            units: 64,
            x: 2
          },
          value: 10
        },
        {
          number: 15,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: true,
            lr: 1e-3,
            n: 5,
            opt: "sgd",
            units: 64,
            x: -1.5
          },
          value: 8.25
        },
        {
          number: 16,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: 3,
            lr: 1e-3,
            n: 5,
            opt: "adam",
            units: 64,
            x: 0
          },
          value: 5
        },
        {
          number: 17,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: 3,
            lr: 0.1,
            n: 5,
            opt: "sgd",
            units: 64,
            x: 0
          },
          value: 6
        },
        {
          number: 18,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: 3,
            lr: 1e-3,
            n: 5,
            opt: "sgd",
            units: 64,
            x: -1.5
          },
          value: 8.25
        },
        {
          number: 19,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: 3,
            lr: 0.1,
            n: 5,
            opt: "adam",
            units: 64,
            x: 2
          },
          value: 9
        }
      ]
    },
    {
      n_trials: 20,
      name: "cmaes",
      sampler: {
        popsize: 4,
        type: "CmaEsSampler"
      },
      search_space: [
        {
          high: 5,
          low: -5,
          name: "x",
          type: "float"
        },
        {
          high: 1,
          log: true,
          low: 1e-5,
          name: "lr",
          type: "float"
        },
        {
          high: 0.5,
          low: 0,
          name: "dropout",
          step: 0.05,
          type: "float"
        },
        {
          high: 10,
          low: 1,
          name: "n",
          type: "int"
        },
        {
          high: 128,
          low: 16,
          name: "batch",
          step: 16,
          type: "int"
        },
        {
          high: 1024,
          log: true,
          low: 1,
          name: "units",
          type: "int"
        },
        {
          choices: [
            "adam",
            "sgd",
            "rmsprop"
          ],
          name: "opt",
          type: "categorical"
        },
        {
          choices: [
            true,
            false,
            3
          ],
          name: "flag",
          type: "categorical"
        }
      ],
      seed: 14,
      trials: [
        {
          number: 0,
          params: {
            batch: 96,
            dropout: 0.1,
            flag: false,
            lr: 25621067770372716e-20,
            n: 6,
            opt: "sgd",
            units: 3,
            x: 1.3722026990146556
          },
          value: 8.882940247183106
        },
        {
          number: 1,
          params: {
            batch: 48,
            dropout: 0.15000000000000002,
            flag: false,
            lr: 0.020643465190624537,
            n: 7,
            opt: "rmsprop",
            units: 20,
            x: -2.055197181375977
          },
          value: 11.22383545433576
        },
        {
          number: 2,
          params: {
            batch: 96,
            dropout: 0.2,
            flag: true,
            lr: 0.013239691629961876,
            n: 5,
            opt: "rmsprop",
            units: 72,
            x: -0.15354446152270018
          },
          value: 5.023575901664296
        },
        {
          number: 3,
          params: {
            batch: 96,
            dropout: 0.4,
            flag: 3,
            lr: 16552976975772092e-21,
            n: 8,
            opt: "adam",
            units: 5,
            x: 2.0282760614937043
          },
          value: 12.113903781628412
        },
        {
          number: 4,
          params: {
            batch: 96,
            dropout: 0.2,
            flag: false,
            lr: 0.0023593657640549426,
            n: 6,
            opt: "adam",
            units: 15,
            x: -2.227094654808087
          },
          value: 10.959950601474752
        },
        {
          number: 5,
          params: {
            batch: 64,
            dropout: 0.25,
            flag: true,
            lr: 0.08345570422795563,
            n: 2,
            opt: "adam",
            units: 4,
            x: -3.1534046054569496
          },
          value: 11.9439606057171
        },
        {
          number: 6,
          params: {
            batch: 96,
            dropout: 0.30000000000000004,
            flag: true,
            lr: 6363629573895079e-19,
            n: 7,
            opt: "rmsprop",
            units: 7,
            x: -0.010574116462945149
          },
          value: 7.000111811938972
        },
        {
          number: 7,
          params: {
            batch: 96,
            dropout: 0.15000000000000002,
            flag: 3,
            lr: 0.009591178498957199,
            n: 4,
            opt: "sgd",
            units: 85,
            x: -0.3582277149390318
          },
          value: 5.12832709575044
        },
        {
          number: 8,
          params: {
            batch: 80,
            dropout: 0.05,
            flag: false,
            lr: 0.027574574690725086,
            n: 4,
            opt: "rmsprop",
            units: 44,
            x: -2.0527456816173926
          },
          value: 8.213764833398853
        },
        {
          number: 9,
          params: {
            batch: 112,
            dropout: 0.2,
            flag: 3,
            lr: 3583026475666547e-19,
            n: 5,
            opt: "sgd",
            units: 772,
            x: 1.340274562484062
          },
          value: 7.796335902841844
        },
        {
          number: 10,
          params: {
            batch: 96,
            dropout: 0.2,
            flag: false,
            lr: 0.01286935414138219,
            n: 7,
            opt: "rmsprop",
            units: 235,
            x: 0.06664979706402807
          },
          value: 7.004442195448676
        },
        {
          number: 11,
          params: {
            batch: 112,
            dropout: 0.2,
            flag: true,
            lr: 0.0017986681853968877,
            n: 6,
            opt: "sgd",
            units: 43,
            x: -0.6231680218569107
          },
          value: 7.388338383465055
        },
        {
          number: 12,
          params: {
            batch: 80,
            dropout: 0.30000000000000004,
            flag: false,
            lr: 0.0459102800367212,
            n: 5,
            opt: "rmsprop",
            units: 75,
            x: -0.08068664579065565
          },
          value: 5.006510334808946
        },
        {
          number: 13,
          params: {
            batch: 96,
            dropout: 0.4,
            flag: false,
            lr: 0.19573418917412858,
            n: 3,
            opt: "rmsprop",
            units: 116,
            x: -0.9996686955940994
          },
          value: 3.999337500950808
        },
        {
          number: 14,
          params: {
            batch: 96,
            dropout: 0.25,
            flag: false,
            lr: 0.028453875227295183,
            n: 6,
            opt: "rmsprop",
            units: 271,
            x: -0.26596023086536213
          },
          value: 6.070734844401957
        },
        {
          number: 15,
          params: {
            batch: 96,
            dropout: 0.30000000000000004,
            flag: false,
            lr: 0.4968642973391266,
            n: 5,
            opt: "sgd",
            units: 667,
            x: -2.1560902445622343
          },
          value: 10.648725142696435
        },
        {
          number: 16,
          params: {
            batch: 80,
            dropout: 0.25,
            flag: false,
            lr: 0.20148552513439216,
            n: 6,
            opt: "sgd",
            units: 278,
            x: -1.6343479681531292
          },
          value: 9.67109328100626
        },
        {
          number: 17,
          params: {
            batch: 64,
            dropout: 0.45,
            flag: false,
            lr: 0.03499342194692368,
            n: 4,
            opt: "rmsprop",
            units: 165,
            x: -2.5981405492658265
          },
          value: 10.75033431373933
        },
        {
          number: 18,
          params: {
            batch: 112,
            dropout: 0.4,
            flag: true,
            lr: 0.2187150315338438,
            n: 5,
            opt: "sgd",
            units: 165,
            x: -2.988507962182344
          },
          value: 14.931179840027266
        },
        {
          number: 19,
          params: {
            batch: 96,
            dropout: 0.4,
            flag: false,
            lr: 0.1216895426214075,
            n: 5,
            opt: "adam",
            units: 144,
            x: -0.14343307674536732
          },
          value: 5.020573047504643
        }
      ]
    },
    {
      n_trials: 20,
      name: "cmaes-margin-sep-restart",
      sampler: {
        popsize: 4,
        restart_strategy: "bipop",
        type: "cmaes",
        with_margin: true
      },
      search_space: [
        {
          high: 5,
          low: -5,
          name: "x",
          type: "float"
        },
        {
          high: 1,
          log: true,
          low: 1e-5,
          name: "lr",
          type: "float"
        },
        {
          high: 0.5,
          low: 0,
          name: "dropout",
          step: 0.05,
          type: "float"
        },
        {
          high: 10,
          low: 1,
          name: "n",
          type: "int"
        },
        {
          high: 128,
          low: 16,
          name: "batch",
          step: 16,
          type: "int"
        },
        {
          high: 1024,
          log: true,
          low: 1,
          name: "units",
          type: "int"
        },
        {
          choices: [
            "adam",
            "sgd",
            "rmsprop"
          ],
          name: "opt",
          type: "categorical"
        },
        {
          choices: [
            true,
            false,
            3
          ],
          name: "flag",
          type: "categorical"
        }
      ],
      seed: 15,
      trials: [
        {
          number: 0,
          params: {
            batch: 96,
            dropout: 0.30000000000000004,
            flag: 3,
            lr: 23244434635766972e-21,
            n: 3,
            opt: "adam",
            units: 1,
            x: -2.462285601411671
          },
          value: 9.062850382919235
        },
        {
          number: 1,
          params: {
            batch: 80,
            dropout: 0.4,
            flag: 3,
            lr: 9723315468992903e-19,
            n: 4,
            opt: "adam",
            units: 21,
            x: 1.6485280770078035
          },
          value: 6.717644820683047
        },
        {
          number: 2,
          params: {
            batch: 112,
            dropout: 0.4,
            flag: false,
            lr: 0.02314455260780646,
            n: 6,
            opt: "sgd",
            units: 38,
            x: 2.3513807487057488
          },
          value: 12.528991425384007
        },
        {
          number: 3,
          params: {
            batch: 48,
            dropout: 0.25,
            flag: true,
            lr: 0.007571402972986766,
            n: 4,
            opt: "sgd",
            units: 5,
            x: -0.5812464271860316
          },
          value: 5.337847409116526
        },
        {
          number: 4,
          params: {
            batch: 80,
            dropout: 0.2,
            flag: 3,
            lr: 48094139555771975e-20,
            n: 7,
            opt: "sgd",
            units: 11,
            x: 1.1388626424621364
          },
          value: 9.29700811839584
        },
        {
          number: 5,
          params: {
            batch: 48,
            dropout: 0.30000000000000004,
            flag: 3,
            lr: 0.003037447915031243,
            n: 4,
            opt: "adam",
            units: 4,
            x: -4.05512044530563
          },
          value: 20.444001825935732
        },
        {
          number: 6,
          params: {
            batch: 64,
            dropout: 0.2,
            flag: false,
            lr: 0.040991353426534025,
            n: 6,
            opt: "adam",
            units: 3,
            x: 0.3945119452738233
          },
          value: 6.155639674963736
        },
        {
          number: 7,
          params: {
            batch: 16,
            dropout: 0.2,
            flag: true,
            lr: 0.0053759653401903185,
            n: 3,
            opt: "adam",
            units: 6,
            x: -0.6542045192760844
          },
          value: 3.4279835530412526
        },
        {
          number: 8,
          params: {
            batch: 64,
            dropout: 0.35000000000000003,
            flag: false,
            lr: 0.012832941176143984,
            n: 5,
            opt: "sgd",
            units: 8,
            x: 1.9731659682130518
          },
          value: 9.89338393811415
        },
        {
          number: 9,
          params: {
            batch: 32,
            dropout: 0.1,
            flag: true,
            lr: 6238891000079803e-19,
            n: 3,
            opt: "sgd",
            units: 1,
            x: 0.26801370986468775
          },
          value: 4.071831348675433
        },
        {
          number: 10,
          params: {
            batch: 32,
            dropout: 0.15000000000000002,
            flag: true,
            lr: 0.0025951344548852317,
            n: 3,
            opt: "rmsprop",
            units: 2,
            x: -1.3310344259908047
          },
          value: 4.771652643172671
        },
        {
          number: 11,
          params: {
            batch: 48,
            dropout: 0.2,
            flag: false,
            lr: 0.008516399378268306,
            n: 4,
            opt: "sgd",
            units: 1,
            x: -3.6637854643831163
          },
          value: 18.423323929025006
        },
        {
          number: 12,
          params: {
            batch: 16,
            dropout: 0.15000000000000002,
            flag: 3,
            lr: 0.00582078699895631,
            n: 3,
            opt: "rmsprop",
            units: 4,
            x: -0.49045765058569923
          },
          value: 3.2405487070180437
        },
        {
          number: 13,
          params: {
            batch: 16,
            dropout: 0.2,
            flag: false,
            lr: 0.0018664478918259163,
            n: 1,
            opt: "rmsprop",
            units: 6,
            x: -0.9569231260172639
          },
          value: 1.9157018691066523
        },
        {
          number: 14,
          params: {
            batch: 16,
            dropout: 0.2,
            flag: false,
            lr: 0.0028822243459020284,
            n: 3,
            opt: "adam",
            units: 11,
            x: 0.5376379345026461
          },
          value: 3.2890545486162717
        },
        {
          number: 15,
          params: {
            batch: 32,
            dropout: 0.15000000000000002,
            flag: true,
            lr: 6821142136393116e-19,
            n: 4,
            opt: "sgd",
            units: 38,
            x: 0.20147224190742818
          },
          value: 5.040591064259205
        },
        {
          number: 16,
          params: {
            batch: 16,
            dropout: 0.15000000000000002,
            flag: true,
            lr: 0.005020262506210085,
            n: 5,
            opt: "adam",
            units: 1,
            x: -1.4597335048675832
          },
          value: 7.130821905232999
        },
        {
          number: 17,
          params: {
            batch: 16,
            dropout: 0.2,
            flag: false,
            lr: 0.006013193428595339,
            n: 1,
            opt: "sgd",
            units: 6,
            x: -1.5464988715466599
          },
          value: 4.391658759695092
        },
        {
          number: 18,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: false,
            lr: 0.006182306825563334,
            n: 3,
            opt: "adam",
            units: 20,
            x: -1.4985522041459616
          },
          value: 5.245658708550719
        },
        {
          number: 19,
          params: {
            batch: 16,
            dropout: 0.15000000000000002,
            flag: true,
            lr: 0.04162672967274281,
            n: 1,
            opt: "adam",
            units: 42,
            x: -1.9154235047623152
          },
          value: 4.66884720259595
        }
      ]
    },
    {
      n_trials: 20,
      name: "cmaes-separable",
      sampler: {
        restart_strategy: "ipop",
        type: "cmaes",
        use_separable_cma: true
      },
      search_space: [
        {
          high: 5,
          low: -5,
          name: "x",
          type: "float"
        },
        {
          high: 1,
          log: true,
          low: 1e-5,
          name: "lr",
          type: "float"
        },
        {
          high: 0.5,
          low: 0,
          name: "dropout",
          step: 0.05,
          type: "float"
        },
        {
          high: 10,
          low: 1,
          name: "n",
          type: "int"
        },
        {
          high: 128,
          low: 16,
          name: "batch",
          step: 16,
          type: "int"
        },
        {
          high: 1024,
          log: true,
          low: 1,
          name: "units",
          type: "int"
        },
        {
          choices: [
            "adam",
            "sgd",
            "rmsprop"
          ],
          name: "opt",
          type: "categorical"
        },
        {
          choices: [
            true,
            false,
            3
          ],
          name: "flag",
          type: "categorical"
        }
      ],
      seed: 16,
      trials: [
        {
          number: 0,
          params: {
            batch: 96,
            dropout: 0.15000000000000002,
            flag: false,
            lr: 13919661006969603e-20,
            n: 3,
            opt: "sgd",
            units: 538,
            x: -0.6148233495998632
          },
          value: 4.378007751213195
        },
        {
          number: 1,
          params: {
            batch: 112,
            dropout: 0.30000000000000004,
            flag: 3,
            lr: 0.03312415305835151,
            n: 6,
            opt: "rmsprop",
            units: 26,
            x: 0.3124839856106467
          },
          value: 6.0976462412631145
        },
        {
          number: 2,
          params: {
            batch: 64,
            dropout: 0.30000000000000004,
            flag: false,
            lr: 0.002121810818343784,
            n: 5,
            opt: "sgd",
            units: 249,
            x: -0.17773389345585144
          },
          value: 6.031589336882976
        },
        {
          number: 3,
          params: {
            batch: 80,
            dropout: 0.2,
            flag: true,
            lr: 0.002392536714667361,
            n: 6,
            opt: "rmsprop",
            units: 25,
            x: -0.6436417662209575
          },
          value: 6.414274723224033
        },
        {
          number: 4,
          params: {
            batch: 48,
            dropout: 0.30000000000000004,
            flag: false,
            lr: 0.009277549170383351,
            n: 7,
            opt: "rmsprop",
            units: 25,
            x: -2.123031596931134
          },
          value: 11.50726316156796
        },
        {
          number: 5,
          params: {
            batch: 96,
            dropout: 0.25,
            flag: true,
            lr: 4940808591331478e-19,
            n: 5,
            opt: "adam",
            units: 13,
            x: -2.0567656640922936
          },
          value: 9.230284996989013
        },
        {
          number: 6,
          params: {
            batch: 32,
            dropout: 0.25,
            flag: 3,
            lr: 0.007247819281384202,
            n: 5,
            opt: "rmsprop",
            units: 31,
            x: 1.4662273730209634
          },
          value: 7.149822709395956
        },
        {
          number: 7,
          params: {
            batch: 80,
            dropout: 0.30000000000000004,
            flag: 3,
            lr: 0.001211466240354485,
            n: 6,
            opt: "adam",
            units: 3,
            x: 1.0443127780405002
          },
          value: 7.090589178378667
        },
        {
          number: 8,
          params: {
            batch: 96,
            dropout: 0.15000000000000002,
            flag: 3,
            lr: 0.2358045629746831,
            n: 5,
            opt: "sgd",
            units: 5,
            x: 2.0305292891484417
          },
          value: 10.123049194089676
        },
        {
          number: 9,
          params: {
            batch: 48,
            dropout: 0.15000000000000002,
            flag: false,
            lr: 0.003735287486366655,
            n: 6,
            opt: "rmsprop",
            units: 10,
            x: 0.3909739436702244
          },
          value: 6.152860624629048
        },
        {
          number: 10,
          params: {
            batch: 80,
            dropout: 0.30000000000000004,
            flag: 3,
            lr: 0.006033665956025088,
            n: 6,
            opt: "rmsprop",
            units: 259,
            x: -1.2829420635047444
          },
          value: 7.645940338309812
        },
        {
          number: 11,
          params: {
            batch: 80,
            dropout: 0.30000000000000004,
            flag: true,
            lr: 7066056665108675e-19,
            n: 7,
            opt: "sgd",
            units: 110,
            x: 1.244284964044125
          },
          value: 9.548245071746289
        },
        {
          number: 12,
          params: {
            batch: 64,
            dropout: 0.2,
            flag: 3,
            lr: 0.011238647892745712,
            n: 6,
            opt: "adam",
            units: 27,
            x: -1.1803902948012226
          },
          value: 7.393321248060917
        },
        {
          number: 13,
          params: {
            batch: 80,
            dropout: 0.35000000000000003,
            flag: false,
            lr: 0.005236206811996883,
            n: 7,
            opt: "adam",
            units: 215,
            x: 0.6299376696190979
          },
          value: 7.39682146760514
        },
        {
          number: 14,
          params: {
            batch: 80,
            dropout: 0.4,
            flag: 3,
            lr: 48227794970649767e-20,
            n: 4,
            opt: "adam",
            units: 20,
            x: 1.8666665678200651
          },
          value: 7.484444075417142
        },
        {
          number: 15,
          params: {
            batch: 64,
            dropout: 0.15000000000000002,
            flag: false,
            lr: 0.009337938980207966,
            n: 6,
            opt: "sgd",
            units: 6,
            x: 0.03358760792026061
          },
          value: 7.0011281274058055
        },
        {
          number: 16,
          params: {
            batch: 64,
            dropout: 0.15000000000000002,
            flag: false,
            lr: 0.039451140738621396,
            n: 6,
            opt: "sgd",
            units: 53,
            x: 0.7412079977411432
          },
          value: 7.549389295915434
        },
        {
          number: 17,
          params: {
            batch: 80,
            dropout: 0.30000000000000004,
            flag: false,
            lr: 0.05733392342545619,
            n: 6,
            opt: "rmsprop",
            units: 142,
            x: -1.0820218706542493
          },
          value: 7.170771328574121
        },
        {
          number: 18,
          params: {
            batch: 80,
            dropout: 0.25,
            flag: true,
            lr: 0.0013364011101309838,
            n: 6,
            opt: "sgd",
            units: 15,
            x: 0.43903682856784343
          },
          value: 7.19275333683891
        },
        {
          number: 19,
          params: {
            batch: 64,
            dropout: 0.25,
            flag: true,
            lr: 0.00832508986617902,
            n: 5,
            opt: "sgd",
            units: 16,
            x: -0.2705121353851423
          },
          value: 6.07317681539063
        }
      ]
    },
    {
      n_trials: 10,
      name: "gp",
      sampler: {
        n_preliminary_samples: 128,
        n_startup_trials: 4,
        type: "GPSampler"
      },
      search_space: [
        {
          high: 5,
          low: -5,
          name: "x",
          type: "float"
        },
        {
          high: 1,
          log: true,
          low: 1e-5,
          name: "lr",
          type: "float"
        },
        {
          high: 0.5,
          low: 0,
          name: "dropout",
          step: 0.05,
          type: "float"
        },
        {
          high: 10,
          low: 1,
          name: "n",
          type: "int"
        },
        {
          high: 128,
          low: 16,
          name: "batch",
          step: 16,
          type: "int"
        },
        {
          high: 1024,
          log: true,
          low: 1,
          name: "units",
          type: "int"
        },
        {
          choices: [
            "adam",
            "sgd",
            "rmsprop"
          ],
          name: "opt",
          type: "categorical"
        },
        {
          choices: [
            true,
            false,
            3
          ],
          name: "flag",
          type: "categorical"
        }
      ],
      seed: 17,
      trials: [
        {
          number: 0,
          params: {
            batch: 96,
            dropout: 0.45,
            flag: 3,
            lr: 0.057095540993505764,
            n: 4,
            opt: "adam",
            units: 122,
            x: -0.1460990163709841
          },
          value: 4.021344922584569
        },
        {
          number: 1,
          params: {
            batch: 96,
            dropout: 0.2,
            flag: true,
            lr: 0.0015514960765224848,
            n: 7,
            opt: "sgd",
            units: 494,
            x: 3.7183781024472573
          },
          value: 21.826335712759267
        },
        {
          number: 2,
          params: {
            batch: 48,
            dropout: 0.15000000000000002,
            flag: 3,
            lr: 6962054484659552e-20,
            n: 4,
            opt: "sgd",
            units: 2,
            x: 4.822576242222871
          },
          value: 28.257241612052464
        },
        {
          number: 3,
          params: {
            batch: 64,
            dropout: 0.30000000000000004,
            flag: 3,
            lr: 13120355171101717e-21,
            n: 1,
            opt: "sgd",
            units: 1,
            x: -3.537714252033769
          },
          value: 14.515422129042852
        },
        {
          number: 4,
          params: {
            batch: 112,
            dropout: 0.5,
            flag: 3,
            lr: 0.0976767255190711,
            n: 3,
            opt: "adam",
            units: 147,
            x: -3.653690283275245
          },
          value: 16.34945268609994
        },
        {
          number: 5,
          params: {
            batch: 96,
            dropout: 0.5,
            flag: 3,
            lr: 0.5952962077244095,
            n: 5,
            opt: "adam",
            units: 392,
            x: 1.381497195377741
          },
          value: 6.908534500836565
        },
        {
          number: 6,
          params: {
            batch: 80,
            dropout: 0.45,
            flag: 3,
            lr: 5144391931647885e-19,
            n: 2,
            opt: "adam",
            units: 35,
            x: 0.502640692614996
          },
          value: 2.252647665872483
        },
        {
          number: 7,
          params: {
            batch: 96,
            dropout: 0.25,
            flag: 3,
            lr: 30341307929973566e-20,
            n: 4,
            opt: "adam",
            units: 3,
            x: 0.5013389702973656
          },
          value: 4.251340763138823
        },
        {
          number: 8,
          params: {
            batch: 16,
            dropout: 0.4,
            flag: 3,
            lr: 1e-5,
            n: 4,
            opt: "adam",
            units: 600,
            x: 0.10571818112882436
          },
          value: 4.0111763338211865
        },
        {
          number: 9,
          params: {
            batch: 80,
            dropout: 0.5,
            flag: false,
            lr: 13572622778735378e-21,
            n: 1,
            opt: "adam",
            units: 37,
            x: 0.37120782391189344
          },
          value: 1.1377952485334033
        }
      ]
    },
    {
      n_trials: 20,
      name: "brute-force",
      sampler: {
        type: "BruteForceSampler"
      },
      search_space: [
        {
          high: 2,
          low: -2,
          name: "x",
          step: 0.5,
          type: "float"
        },
        {
          high: 3,
          low: 1,
          name: "n",
          type: "int"
        },
        {
          choices: [
            "adam",
            "sgd",
            "rmsprop"
          ],
          name: "opt",
          type: "categorical"
        }
      ],
      seed: 18,
      trials: [
        {
          number: 0,
          params: {
            n: 1,
            opt: "sgd",
            x: 0.5
          },
          value: 2.25
        },
        {
          number: 1,
          params: {
            n: 3,
            opt: "adam",
            x: 1.5
          },
          value: 5.25
        },
        {
          number: 2,
          params: {
            n: 1,
            opt: "rmsprop",
            x: -2
          },
          value: 5
        },
        {
          number: 3,
          params: {
            n: 2,
            opt: "adam",
            x: 1.5
          },
          value: 4.25
        },
        {
          number: 4,
          params: {
            n: 3,
            opt: "adam",
            x: 0
          },
          value: 3
        },
        {
          number: 5,
          params: {
            n: 2,
            opt: "sgd",
            x: 1.5
          },
          value: 5.25
        },
        {
          number: 6,
          params: {
            n: 2,
            opt: "rmsprop",
            x: -1
          },
          value: 3
        },
        {
          number: 7,
          params: {
            n: 3,
            opt: "adam",
            x: -1
          },
          value: 4
        },
        {
          number: 8,
          params: {
            n: 2,
            opt: "rmsprop",
            x: 1.5
          },
          value: 4.25
        },
        {
          number: 9,
          params: {
            n: 2,
            opt: "sgd",
            x: -1.5
          },
          value: 5.25
        },
        {
          number: 10,
          params: {
            n: 1,
            opt: "adam",
            x: 0.5
          },
          value: 1.25
        },
        {
          number: 11,
          params: {
            n: 3,
            opt: "sgd",
            x: 1.5
          },
          value: 6.25
        },
        {
          number: 12,
          params: {
            n: 3,
            opt: "adam",
            x: 0.5
          },
          value: 3.25
        },
        {
          number: 13,
          params: {
            n: 3,
            opt: "sgd",
            x: 0.5
          },
          value: 4.25
        },
        {
          number: 14,
          params: {
            n: 2,
            opt: "adam",
            x: -2
          },
          value: 6
        },
        {
          number: 15,
          params: {
            n: 2,
            opt: "sgd",
            x: -1
          },
          value: 4
        },
        {
          number: 16,
          params: {
            n: 1,
            opt: "sgd",
            x: -1
          },
          value: 3
        },
        {
          number: 17,
          params: {
            n: 1,
            opt: "sgd",
            x: -2
          },
          value: 6
        },
        {
          number: 18,
          params: {
            n: 3,
            opt: "rmsprop",
            x: 1
          },
          value: 4
        },
        {
          number: 19,
          params: {
            n: 2,
            opt: "rmsprop",
            x: -1.5
          },
          value: 4.25
        }
      ]
    }
  ]
};

// worker.mjs
var camel = /* @__PURE__ */ __name((o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), v])), "camel");
var worker_default = {
  async fetch() {
    const scenarios = determinism_default.scenarios.map((scenario) => {
      const study = createStudy({ studyName: "determinism", seed: scenario.seed, sampler: camel(scenario.sampler) });
      const trials = [];
      for (let i = 0; i < scenario.n_trials; i++) {
        const trial = study.ask(scenario.search_space);
        const params = trial.params;
        const value = params.x ** 2 + params.n + (params.opt === "sgd" ? 1 : 0);
        study.tell(trial, value);
        trials.push({ number: trial.number, params, value });
      }
      return { name: scenario.name, trials };
    });
    let error = null;
    try {
      createStudy({ directions: ["up"] });
    } catch (e) {
      error = { isEdgetuneError: e instanceof EdgetuneError, field: e.field };
    }
    const s = createStudy({ seed: 1 });
    await s.optimize((t) => t.suggestFloat("x", -1, 1) ** 2, { nTrials: 20 });
    const again = Study.fromJournal(s.toJournal());
    return Response.json({ scenarios, error, bestValue: s.bestValue, replayed: again.bestValue, userAgent: "Cloudflare-Workers" });
  }
};

// ../../node_modules/wrangler/templates/middleware/middleware-ensure-req-body-drained.ts
var drainBody = /* @__PURE__ */ __name(async (request, env, _ctx, middlewareCtx) => {
  try {
    return await middlewareCtx.next(request, env);
  } finally {
    try {
      if (request.body !== null && !request.bodyUsed) {
        const reader = request.body.getReader();
        while (!(await reader.read()).done) {
        }
      }
    } catch (e) {
      console.error("Failed to drain the unused request body.", e);
    }
  }
}, "drainBody");
var middleware_ensure_req_body_drained_default = drainBody;

// ../../node_modules/wrangler/templates/middleware/middleware-miniflare3-json-error.ts
function reduceError(e) {
  return {
    name: e?.name,
    message: e?.message ?? String(e),
    stack: e?.stack,
    cause: e?.cause === void 0 ? void 0 : reduceError(e.cause)
  };
}
__name(reduceError, "reduceError");
var jsonError = /* @__PURE__ */ __name(async (request, env, _ctx, middlewareCtx) => {
  try {
    return await middlewareCtx.next(request, env);
  } catch (e) {
    const error = reduceError(e);
    return Response.json(error, {
      status: 500,
      headers: { "MF-Experimental-Error-Stack": "true" }
    });
  }
}, "jsonError");
var middleware_miniflare3_json_error_default = jsonError;

// .wrangler/tmp/bundle-fmohsq/middleware-insertion-facade.js
var __INTERNAL_WRANGLER_MIDDLEWARE__ = [
  middleware_ensure_req_body_drained_default,
  middleware_miniflare3_json_error_default
];
var middleware_insertion_facade_default = worker_default;

// ../../node_modules/wrangler/templates/middleware/common.ts
var __facade_middleware__ = [];
function __facade_register__(...args) {
  __facade_middleware__.push(...args.flat());
}
__name(__facade_register__, "__facade_register__");
function __facade_invokeChain__(request, env, ctx, dispatch, middlewareChain) {
  const [head, ...tail] = middlewareChain;
  const middlewareCtx = {
    dispatch,
    next(newRequest, newEnv) {
      return __facade_invokeChain__(newRequest, newEnv, ctx, dispatch, tail);
    }
  };
  return head(request, env, ctx, middlewareCtx);
}
__name(__facade_invokeChain__, "__facade_invokeChain__");
function __facade_invoke__(request, env, ctx, dispatch, finalMiddleware) {
  return __facade_invokeChain__(request, env, ctx, dispatch, [
    ...__facade_middleware__,
    finalMiddleware
  ]);
}
__name(__facade_invoke__, "__facade_invoke__");

// .wrangler/tmp/bundle-fmohsq/middleware-loader.entry.ts
var __Facade_ScheduledController__ = class ___Facade_ScheduledController__ {
  constructor(scheduledTime, cron, noRetry) {
    this.scheduledTime = scheduledTime;
    this.cron = cron;
    this.#noRetry = noRetry;
  }
  static {
    __name(this, "__Facade_ScheduledController__");
  }
  #noRetry;
  noRetry() {
    if (!(this instanceof ___Facade_ScheduledController__)) {
      throw new TypeError("Illegal invocation");
    }
    this.#noRetry();
  }
};
function wrapExportedHandler(worker) {
  if (__INTERNAL_WRANGLER_MIDDLEWARE__ === void 0 || __INTERNAL_WRANGLER_MIDDLEWARE__.length === 0) {
    return worker;
  }
  for (const middleware of __INTERNAL_WRANGLER_MIDDLEWARE__) {
    __facade_register__(middleware);
  }
  const fetchDispatcher = /* @__PURE__ */ __name(function(request, env, ctx) {
    if (worker.fetch === void 0) {
      throw new Error("Handler does not export a fetch() function.");
    }
    return worker.fetch(request, env, ctx);
  }, "fetchDispatcher");
  return {
    ...worker,
    fetch(request, env, ctx) {
      const dispatcher = /* @__PURE__ */ __name(function(type, init) {
        if (type === "scheduled" && worker.scheduled !== void 0) {
          const controller = new __Facade_ScheduledController__(
            Date.now(),
            init.cron ?? "",
            () => {
            }
          );
          return worker.scheduled(controller, env, ctx);
        }
      }, "dispatcher");
      return __facade_invoke__(request, env, ctx, dispatcher, fetchDispatcher);
    }
  };
}
__name(wrapExportedHandler, "wrapExportedHandler");
function wrapWorkerEntrypoint(klass) {
  if (__INTERNAL_WRANGLER_MIDDLEWARE__ === void 0 || __INTERNAL_WRANGLER_MIDDLEWARE__.length === 0) {
    return klass;
  }
  for (const middleware of __INTERNAL_WRANGLER_MIDDLEWARE__) {
    __facade_register__(middleware);
  }
  return class extends klass {
    #fetchDispatcher = /* @__PURE__ */ __name((request, env, ctx) => {
      this.env = env;
      this.ctx = ctx;
      if (super.fetch === void 0) {
        throw new Error("Entrypoint class does not define a fetch() function.");
      }
      return super.fetch(request);
    }, "#fetchDispatcher");
    #dispatcher = /* @__PURE__ */ __name((type, init) => {
      if (type === "scheduled" && super.scheduled !== void 0) {
        const controller = new __Facade_ScheduledController__(
          Date.now(),
          init.cron ?? "",
          () => {
          }
        );
        return super.scheduled(controller);
      }
    }, "#dispatcher");
    fetch(request) {
      return __facade_invoke__(
        request,
        this.env,
        this.ctx,
        this.#dispatcher,
        this.#fetchDispatcher
      );
    }
  };
}
__name(wrapWorkerEntrypoint, "wrapWorkerEntrypoint");
var WRAPPED_ENTRY;
if (typeof middleware_insertion_facade_default === "object") {
  WRAPPED_ENTRY = wrapExportedHandler(middleware_insertion_facade_default);
} else if (typeof middleware_insertion_facade_default === "function") {
  WRAPPED_ENTRY = wrapWorkerEntrypoint(middleware_insertion_facade_default);
}
var middleware_loader_entry_default = WRAPPED_ENTRY;
export {
  __INTERNAL_WRANGLER_MIDDLEWARE__,
  middleware_loader_entry_default as default
};
//# sourceMappingURL=worker.js.map
