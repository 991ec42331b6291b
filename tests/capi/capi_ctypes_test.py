# Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
"""The C API from Python through ctypes: a second consumer that knows only
include/stepup/stepup_c.h's declarations, written here again by hand.

  capi_ctypes_test.py --library libstepup.so --cases cases.json --policy-dir DIR

Decides every case of the example's table and compares decision, status and
WWW-Authenticate; reads the step-up requirement and a claim; checks an error
message. Exits 0 when every check holds, 1 with a report.
"""
import argparse
import ctypes
import json
import sys

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


class String(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("size", ctypes.c_size_t)]

    @staticmethod
    def of(value):
        raw = value.encode() if isinstance(value, str) else value
        buffer = ctypes.create_string_buffer(raw, len(raw))
        string = String(ctypes.cast(buffer, ctypes.c_void_p), len(raw))
        string._keep = buffer  # The bytes live as long as the struct.
        return string

    def text(self):
        return ctypes.string_at(self.data, self.size).decode() if self.size else ""


class Status(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("message", ctypes.c_char * 1024)]


class Header(ctypes.Structure):
    _fields_ = [("name", String), ("value", String)]


class Options(ctypes.Structure):
    _fields_ = [("key_refresh_host_driven", ctypes.c_int), ("start_without_keys", ctypes.c_int),
                ("token_cache_disabled", ctypes.c_int),
                ("decision_claims", ctypes.POINTER(String)),
                ("decision_claim_count", ctypes.c_size_t)]


class Request(ctypes.Structure):
    _fields_ = [("method", String), ("path", String), ("has_authorization", ctypes.c_int),
                ("authorization", String), ("headers", ctypes.POINTER(Header)),
                ("header_count", ctypes.c_size_t), ("client_ip", String),
                ("has_now", ctypes.c_int), ("now", ctypes.c_int64)]


def bind(library):
    lib = ctypes.CDLL(library)
    void_p = ctypes.c_void_p
    signatures = {
        "stepup_engine_create_from_file": (ctypes.c_int, [String, ctypes.POINTER(Options),
                                                          ctypes.POINTER(void_p),
                                                          ctypes.POINTER(Status)]),
        "stepup_engine_create_from_json": (ctypes.c_int, [String, String, ctypes.POINTER(Options),
                                                          ctypes.POINTER(void_p),
                                                          ctypes.POINTER(Status)]),
        "stepup_engine_free": (None, [void_p]),
        "stepup_engine_generation": (ctypes.c_uint64, [void_p]),
        "stepup_decision_new": (void_p, []),
        "stepup_decision_free": (None, [void_p]),
        "stepup_decide": (ctypes.c_int, [void_p, ctypes.POINTER(Request), void_p]),
        "stepup_decision_status": (ctypes.c_int, [void_p]),
        "stepup_decision_authorized": (ctypes.c_int, [void_p]),
        "stepup_decision_result": (String, [void_p]),
        "stepup_decision_www_authenticate": (String, [void_p]),
        "stepup_decision_has_step_up": (ctypes.c_int, [void_p]),
        "stepup_decision_acr_value_count": (ctypes.c_size_t, [void_p]),
        "stepup_decision_acr_value": (String, [void_p, ctypes.c_size_t]),
        "stepup_decision_max_age": (ctypes.c_int64, [void_p]),
        "stepup_decision_claim": (ctypes.c_int, [void_p, String, ctypes.POINTER(String)]),
        "stepup_decision_json": (String, [void_p]),
        "stepup_engine_start_key_refresh": (ctypes.c_int, [void_p, ctypes.POINTER(Status)]),
        "stepup_engine_metrics_text": (ctypes.c_size_t, [void_p, ctypes.c_char_p, ctypes.c_size_t]),
        "stepup_metrics_merge": (ctypes.c_size_t, [ctypes.POINTER(String), ctypes.c_size_t,
                                                   ctypes.c_char_p, ctypes.c_size_t]),
    }
    for name, (result, arguments) in signatures.items():
        function = getattr(lib, name)
        function.restype = result
        function.argtypes = arguments
    return lib


def check_metrics(lib, engine, table):
    """The metrics text, parsed by Debian's prometheus_client: the permits
    are the table's; two copies merged count twice."""
    from prometheus_client.parser import text_string_to_metric_families
    size = lib.stepup_engine_metrics_text(engine, None, 0)
    buffer = ctypes.create_string_buffer(size)
    check(lib.stepup_engine_metrics_text(engine, buffer, size) == size, "metrics size changed")
    text = buffer.raw[:size]

    def permits(exposition):
        for family in text_string_to_metric_families(exposition.decode()):
            if family.name == "stepup_decisions":
                return sum(sample.value for sample in family.samples
                           if sample.labels.get("result") == "permit")
        return None

    expected = sum(1 for case in table["cases"] if case["decision"] == "permit")
    check(permits(text) == expected, "metrics: %r permits, expected %d" % (permits(text), expected))
    first, second = String.of(text), String.of(text)  # kept alive while merged
    texts = (String * 2)(first, second)
    merged_size = lib.stepup_metrics_merge(texts, 2, None, 0)
    merged = ctypes.create_string_buffer(merged_size)
    lib.stepup_metrics_merge(texts, 2, merged, merged_size)
    check(permits(merged.raw[:merged_size]) == 2 * expected, "merged metrics do not add up")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--library", required=True)
    parser.add_argument("--cases", required=True)
    parser.add_argument("--policy-dir", required=True)
    args = parser.parse_args()
    lib = bind(args.library)
    with open(args.cases, encoding="utf-8") as f:
        table = json.load(f)

    claims = (String * 1)(String.of("sub"))
    options = Options(0, 0, 0, claims, 1)
    engine = ctypes.c_void_p()
    status = Status()
    code = lib.stepup_engine_create_from_file(String.of(args.policy_dir + "/policy.json"),
                                              ctypes.byref(options), ctypes.byref(engine),
                                              ctypes.byref(status))
    if code != 0:
        print("the example policy did not load: " + status.message.decode())
        return 1
    check(lib.stepup_engine_generation(engine) == 1, "generation is not 1")
    decision = lib.stepup_decision_new()
    for case in table["cases"]:
        request = Request()
        request.method = String.of(case["request"]["method"])
        request.path = String.of(case["request"]["path"])
        if "authorization" in case["request"]:
            request.has_authorization = 1
            request.authorization = String.of(case["request"]["authorization"])
        request.has_now, request.now = 1, table["now"]
        check(lib.stepup_decide(engine, ctypes.byref(request), decision) == 0,
              case["name"] + ": stepup_decide failed")
        got = (lib.stepup_decision_result(decision).text(), lib.stepup_decision_status(decision),
               lib.stepup_decision_www_authenticate(decision).text())
        # A case without www_authenticate does not check it (as `stepup test`).
        expected = (case["decision"], case["status"], case.get("www_authenticate", got[2]))
        check(got == expected, "%s: got %r, expected %r" % (case["name"], got, expected))
        if case["name"] == "weak acr gets an acr_values challenge":
            check(lib.stepup_decision_has_step_up(decision) == 1, "weak: no step-up")
            acr = [lib.stepup_decision_acr_value(decision, i).text()
                   for i in range(lib.stepup_decision_acr_value_count(decision))]
            check(acr and acr[0] == "urn:example:mfa", "weak: acr values %r" % acr)
            value = String()
            check(lib.stepup_decision_claim(decision, String.of("sub"), ctypes.byref(value)) == 1
                  and value.text() == "alice", "weak: claim sub")
            check(json.loads(lib.stepup_decision_json(decision).text())["status"] == 401,
                  "weak: decision JSON")
        if case["name"] == "stale authentication gets a max_age challenge":
            check(lib.stepup_decision_max_age(decision) == 300, "stale: max_age")
    check(lib.stepup_engine_start_key_refresh(engine, ctypes.byref(status)) == 0,
          "start_key_refresh without remote keys")
    check_metrics(lib, engine, table)
    lib.stepup_decision_free(decision)
    lib.stepup_engine_free(engine)

    broken = ctypes.c_void_p()
    code = lib.stepup_engine_create_from_json(String.of('{"stepup": 2, "policy": {}}'),
                                              String.of(""), None, ctypes.byref(broken),
                                              ctypes.byref(status))
    check(code == 1 and not broken, "a bad document: code %d" % code)
    check(b"stepup: must be 1" in status.message, "message: %r" % status.message)

    for failure in failures:
        print("FAILED: " + failure)
    if not failures:
        print("capi_ctypes_test: every check holds (%d example cases)" % len(table["cases"]))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
