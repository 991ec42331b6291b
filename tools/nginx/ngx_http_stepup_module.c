/* Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0. */
/*
 * ngx_http_stepup_module: stepup's decisions inside nginx, through the C API
 * (include/stepup/stepup_c.h); docs/nginx.md is its contract.
 *
 *   stepup_policy FILE;   http, server: the policy document (one engine per
 *                         file, loaded by the master when the configuration
 *                         is read: a bad document fails `nginx -t` and
 *                         `nginx -s reload`, which keeps the running one).
 *   stepup on | off;      http, server, location (inherited): decide every
 *                         request in the access phase.
 *
 * Variables: $stepup_decision, $stepup_status, $stepup_error,
 * $stepup_reason, $stepup_rule, $stepup_acr_values, $stepup_max_age and
 * $stepup_claim_NAME.
 *
 * The master loads engines without threads (threads do not survive fork);
 * each worker starts its engines' key refresh threads after fork, so keys
 * from an identity provider are fetched off the event loop, and a changed
 * set is swapped in atomically.
 */
#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>
#include <pthread.h>
#include <signal.h>

#include "ngx_http_stepup_metrics.h"
#include "stepup/stepup_c.h"

#define NGX_HTTP_STEPUP_CLAIM_PREFIX "stepup_claim_"

/* One policy file and its engine, shared by the servers that name it. */
typedef struct {
  ngx_str_t path; /* Absolute, NUL-terminated. */
  ngx_str_t conf_file;
  ngx_uint_t conf_line;
  stepup_engine* engine; /* Made at postconfiguration, freed with the cycle. */
} ngx_http_stepup_policy_t;

typedef struct {
  ngx_array_t policies;             /* ngx_http_stepup_policy_t*, one per file. */
  ngx_array_t claims;               /* ngx_str_t: the NAMEs of $stepup_claim_NAME used. */
  ngx_flag_t variables_used;        /* Whether the configuration reads any $stepup_*. */
  stepup_decision* decision;        /* The worker's, reused by every request. */
  stepup_decision* routed_decision; /* For the target as nginx routes it. */
  ngx_flag_t start_without_keys;    /* stepup_start_without_keys. */
  ngx_shm_zone_t* metrics_zone;     /* With a `stepup_metrics` location. */
} ngx_http_stepup_main_conf_t;

typedef struct {
  ngx_http_stepup_policy_t* policy; /* NGX_CONF_UNSET_PTR: inherited. */
  ngx_flag_t enable;
  ngx_str_t enable_file; /* Where `stepup on` was written, for errors. */
  ngx_uint_t enable_line;
} ngx_http_stepup_loc_conf_t;

/* What a request's decision left for the variables, copied into its pool. */
typedef struct {
  ngx_str_t result;
  ngx_uint_t status;
  ngx_str_t status_text;
  ngx_str_t error;
  ngx_str_t reason;
  ngx_str_t rule;
  ngx_str_t acr_values;
  ngx_str_t max_age; /* Empty: none. */
  ngx_str_t* claims; /* Parallel to the main conf's claims; data NULL: absent. */
} ngx_http_stepup_ctx_t;

static ngx_int_t ngx_http_stepup_preconfiguration(ngx_conf_t* cf);
static ngx_int_t ngx_http_stepup_postconfiguration(ngx_conf_t* cf);
static void* ngx_http_stepup_create_main_conf(ngx_conf_t* cf);
static void* ngx_http_stepup_create_loc_conf(ngx_conf_t* cf);
static char* ngx_http_stepup_merge_loc_conf(ngx_conf_t* cf, void* parent, void* child);
static char* ngx_http_stepup_policy(ngx_conf_t* cf, ngx_command_t* cmd, void* conf);
static char* ngx_http_stepup_enable(ngx_conf_t* cf, ngx_command_t* cmd, void* conf);
static char* ngx_http_stepup_metrics_directive(ngx_conf_t* cf, ngx_command_t* cmd, void* conf);
static ngx_int_t ngx_http_stepup_init_process(ngx_cycle_t* cycle);
static void ngx_http_stepup_exit_process(ngx_cycle_t* cycle);

static ngx_command_t ngx_http_stepup_commands[] = {
    {ngx_string("stepup_policy"), NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_CONF_TAKE1,
     ngx_http_stepup_policy, NGX_HTTP_LOC_CONF_OFFSET, 0, NULL},
    {ngx_string("stepup"),
     NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
     ngx_http_stepup_enable, NGX_HTTP_LOC_CONF_OFFSET, offsetof(ngx_http_stepup_loc_conf_t, enable),
     NULL},
    {ngx_string("stepup_start_without_keys"), NGX_HTTP_MAIN_CONF | NGX_CONF_FLAG,
     ngx_conf_set_flag_slot, NGX_HTTP_MAIN_CONF_OFFSET,
     offsetof(ngx_http_stepup_main_conf_t, start_without_keys), NULL},
    {ngx_string("stepup_metrics"), NGX_HTTP_LOC_CONF | NGX_CONF_NOARGS,
     ngx_http_stepup_metrics_directive, NGX_HTTP_LOC_CONF_OFFSET, 0, NULL},
    ngx_null_command};

static ngx_http_module_t ngx_http_stepup_module_ctx = {ngx_http_stepup_preconfiguration,
                                                       ngx_http_stepup_postconfiguration,
                                                       ngx_http_stepup_create_main_conf,
                                                       NULL,
                                                       NULL,
                                                       NULL,
                                                       ngx_http_stepup_create_loc_conf,
                                                       ngx_http_stepup_merge_loc_conf};

ngx_module_t ngx_http_stepup_module = {NGX_MODULE_V1,
                                       &ngx_http_stepup_module_ctx,
                                       ngx_http_stepup_commands,
                                       NGX_HTTP_MODULE,
                                       NULL,
                                       NULL,
                                       ngx_http_stepup_init_process,
                                       NULL,
                                       NULL,
                                       ngx_http_stepup_exit_process,
                                       NULL,
                                       NGX_MODULE_V1_PADDING};

static stepup_string ngx_http_stepup_string(ngx_str_t* text) {
  stepup_string s = {(const char*)text->data, text->len};
  return s;
}

/* --- configuration ------------------------------------------------------ */

static void* ngx_http_stepup_create_main_conf(ngx_conf_t* cf) {
  ngx_http_stepup_main_conf_t* mcf = ngx_pcalloc(cf->pool, sizeof(*mcf));
  if (mcf == NULL) return NULL;
  mcf->start_without_keys = NGX_CONF_UNSET;
  if (ngx_array_init(&mcf->policies, cf->pool, 2, sizeof(ngx_http_stepup_policy_t*)) != NGX_OK ||
      ngx_array_init(&mcf->claims, cf->pool, 4, sizeof(ngx_str_t)) != NGX_OK) {
    return NULL;
  }
  return mcf;
}

static void* ngx_http_stepup_create_loc_conf(ngx_conf_t* cf) {
  ngx_http_stepup_loc_conf_t* lcf = ngx_pcalloc(cf->pool, sizeof(*lcf));
  if (lcf == NULL) return NULL;
  lcf->policy = NGX_CONF_UNSET_PTR;
  lcf->enable = NGX_CONF_UNSET;
  return lcf;
}

static char* ngx_http_stepup_merge_loc_conf(ngx_conf_t* cf, void* parent, void* child) {
  ngx_http_stepup_loc_conf_t* prev = parent;
  ngx_http_stepup_loc_conf_t* conf = child;
  ngx_conf_merge_ptr_value(conf->policy, prev->policy, NULL);
  if (conf->enable == NGX_CONF_UNSET) {
    conf->enable = prev->enable == NGX_CONF_UNSET ? 0 : prev->enable;
    conf->enable_file = prev->enable_file;
    conf->enable_line = prev->enable_line;
  }
  if (conf->enable && conf->policy == NULL) {
    ngx_log_error(NGX_LOG_EMERG, cf->log, 0,
                  "\"stepup on\" in %V:%ui applies where no stepup_policy is set",
                  &conf->enable_file, conf->enable_line);
    return NGX_CONF_ERROR;
  }
  /* Under `satisfy any` nginx would let another access module's "allow"
   * override a step-up challenge: refused, not half supported. */
  ngx_http_core_loc_conf_t* clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
  if (conf->enable && clcf->satisfy == NGX_HTTP_SATISFY_ANY) {
    ngx_log_error(NGX_LOG_EMERG, cf->log, 0,
                  "\"stepup on\" in %V:%ui applies where \"satisfy any\" is set; stepup needs "
                  "\"satisfy all\"",
                  &conf->enable_file, conf->enable_line);
    return NGX_CONF_ERROR;
  }
  return NGX_CONF_OK;
}

static char* ngx_http_stepup_enable(ngx_conf_t* cf, ngx_command_t* cmd, void* conf) {
  ngx_http_stepup_loc_conf_t* lcf = conf;
  char* rv = ngx_conf_set_flag_slot(cf, cmd, conf);
  if (rv != NGX_CONF_OK) return rv;
  lcf->enable_file = cf->conf_file->file.name;
  lcf->enable_line = cf->conf_file->line;
  return NGX_CONF_OK;
}

static char* ngx_http_stepup_policy(ngx_conf_t* cf, ngx_command_t* cmd, void* conf) {
  ngx_http_stepup_loc_conf_t* lcf = conf;
  ngx_http_stepup_main_conf_t* mcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_stepup_module);
  if (lcf->policy != NGX_CONF_UNSET_PTR) return "is duplicate";
  ngx_str_t path = ((ngx_str_t*)cf->args->elts)[1];
  if (ngx_conf_full_name(cf->cycle, &path, 1) != NGX_OK) return NGX_CONF_ERROR;

  ngx_http_stepup_policy_t** known = mcf->policies.elts;
  for (ngx_uint_t i = 0; i < mcf->policies.nelts; i++) {
    if (known[i]->path.len == path.len &&
        ngx_strncmp(known[i]->path.data, path.data, path.len) == 0) {
      lcf->policy = known[i];
      return NGX_CONF_OK;
    }
  }
  ngx_http_stepup_policy_t* policy = ngx_pcalloc(cf->pool, sizeof(*policy));
  ngx_http_stepup_policy_t** slot = ngx_array_push(&mcf->policies);
  if (policy == NULL || slot == NULL) return NGX_CONF_ERROR;
  policy->path.data = ngx_pnalloc(cf->pool, path.len + 1);
  if (policy->path.data == NULL) return NGX_CONF_ERROR;
  ngx_memcpy(policy->path.data, path.data, path.len);
  policy->path.data[path.len] = '\0';
  policy->path.len = path.len;
  policy->conf_file = cf->conf_file->file.name;
  policy->conf_line = cf->conf_file->line;
  *slot = policy;
  lcf->policy = policy;
  return NGX_CONF_OK;
}

/* `stepup_metrics;`: this location answers with every worker's metrics. */
static char* ngx_http_stepup_metrics_directive(ngx_conf_t* cf, ngx_command_t* cmd, void* conf) {
  ngx_http_stepup_main_conf_t* mcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_stepup_module);
  if (mcf->metrics_zone == NULL) {
    mcf->metrics_zone = ngx_http_stepup_metrics_add_zone(cf, &ngx_http_stepup_module);
    if (mcf->metrics_zone == NULL) return NGX_CONF_ERROR;
  }
  ngx_http_core_loc_conf_t* clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
  clcf->handler = ngx_http_stepup_metrics_handler;
  return NGX_CONF_OK;
}

static void ngx_http_stepup_free_engine(void* data) {
  stepup_engine_free(data);
}

/* Whether the configuration reads $stepup_* variables, and which claims
 * ($stepup_claim_NAME), so that each decision copies just what is read. */
static ngx_int_t ngx_http_stepup_collect_claims(ngx_conf_t* cf, ngx_http_stepup_main_conf_t* mcf) {
  ngx_http_core_main_conf_t* cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module);
  ngx_http_variable_t* variables = cmcf->variables.elts;
  const size_t prefix = sizeof(NGX_HTTP_STEPUP_CLAIM_PREFIX) - 1;
  for (ngx_uint_t i = 0; i < cmcf->variables.nelts; i++) {
    ngx_str_t* name = &variables[i].name;
    if (name->len > 7 && ngx_strncmp(name->data, "stepup_", 7) == 0) mcf->variables_used = 1;
    if (name->len <= prefix || ngx_strncmp(name->data, NGX_HTTP_STEPUP_CLAIM_PREFIX, prefix) != 0) {
      continue;
    }
    ngx_str_t* claim = ngx_array_push(&mcf->claims);
    if (claim == NULL) return NGX_ERROR;
    claim->data = name->data + prefix;
    claim->len = name->len - prefix;
  }
  return NGX_OK;
}

/* Loads every policy file now, in the process reading the configuration. */
static ngx_int_t ngx_http_stepup_load_policies(ngx_conf_t* cf, ngx_http_stepup_main_conf_t* mcf) {
  ngx_str_t* names = mcf->claims.elts;
  stepup_string* claims = ngx_pcalloc(cf->pool, sizeof(stepup_string) * (mcf->claims.nelts + 1));
  if (claims == NULL) return NGX_ERROR;
  for (ngx_uint_t i = 0; i < mcf->claims.nelts; i++)
    claims[i] = ngx_http_stepup_string(&names[i]);

  stepup_engine_options options;
  ngx_memzero(&options, sizeof(options));
  options.key_refresh_host_driven = 1; /* Each worker starts its own thread. */
  /* Off (the default): nginx does not start, and a reload is refused, until
   * the identity providers' keys are fetched. */
  options.start_without_keys = mcf->start_without_keys == 1;
  options.decision_claims = claims;
  options.decision_claim_count = mcf->claims.nelts;

  ngx_http_stepup_policy_t** policies = mcf->policies.elts;
  for (ngx_uint_t i = 0; i < mcf->policies.nelts; i++) {
    ngx_http_stepup_policy_t* policy = policies[i];
    ngx_pool_cleanup_t* cleanup = ngx_pool_cleanup_add(cf->pool, 0);
    if (cleanup == NULL) return NGX_ERROR;
    stepup_status status;
    if (stepup_engine_create_from_file(ngx_http_stepup_string(&policy->path), &options,
                                       &policy->engine, &status) != STEPUP_OK) {
      ngx_log_error(NGX_LOG_EMERG, cf->log, 0, "stepup_policy \"%V\" in %V:%ui: %s", &policy->path,
                    &policy->conf_file, policy->conf_line, status.message);
      return NGX_ERROR;
    }
    cleanup->handler = ngx_http_stepup_free_engine;
    cleanup->data = policy->engine;
  }
  return NGX_OK;
}

/* --- the access phase --------------------------------------------------- */

/* Marks the pool cleanup that carries a request's ctx across internal
 * redirects, which clear r->ctx. */
static void ngx_http_stepup_ctx_marker(void* data) {}

static ngx_http_stepup_ctx_t* ngx_http_stepup_get_ctx(ngx_http_request_t* r) {
  ngx_http_stepup_ctx_t* ctx = ngx_http_get_module_ctx(r, ngx_http_stepup_module);
  if (ctx != NULL || !(r->internal || r->filter_finalize)) return ctx;
  for (ngx_pool_cleanup_t* cln = r->pool->cleanup; cln != NULL; cln = cln->next) {
    if (cln->handler == ngx_http_stepup_ctx_marker) {
      ctx = cln->data;
      ngx_http_set_ctx(r, ctx, ngx_http_stepup_module);
      return ctx;
    }
  }
  return NULL;
}

/* Bytes below 0x20 and 0x7f each become '?': nothing that could end a
 * header line reaches a variable. */
static void ngx_http_stepup_sanitize(u_char* text, size_t size) {
  for (size_t i = 0; i < size; i++) {
    if (text[i] < 0x20 || text[i] == 0x7f) text[i] = '?';
  }
}

static int ngx_http_stepup_has_control_bytes(stepup_string text) {
  for (size_t i = 0; i < text.size; i++) {
    u_char c = (u_char)text.data[i];
    if (c < 0x20 || c == 0x7f) return 1;
  }
  return 0;
}

/* `text`, sanitized, in the request's pool. */
static ngx_int_t ngx_http_stepup_copy(ngx_http_request_t* r, stepup_string text, ngx_str_t* out) {
  out->len = text.size;
  out->data = (u_char*)"";
  if (text.size == 0) return NGX_OK;
  out->data = ngx_pnalloc(r->pool, text.size);
  if (out->data == NULL) return NGX_ERROR;
  ngx_memcpy(out->data, text.data, text.size);
  ngx_http_stepup_sanitize(out->data, text.size);
  return NGX_OK;
}

/* `count` names read with `item`, joined with `separator`, sanitized, in
 * the request's pool. */
static ngx_int_t ngx_http_stepup_join(ngx_http_request_t* r, stepup_decision* decision,
                                      size_t count,
                                      stepup_string (*item)(const stepup_decision*, size_t),
                                      const char* separator, ngx_str_t* out) {
  size_t separator_len = ngx_strlen(separator);
  size_t len = 0;
  for (size_t i = 0; i < count; i++)
    len += item(decision, i).size + (i > 0 ? separator_len : 0);
  out->len = len;
  out->data = (u_char*)"";
  if (len == 0) return NGX_OK;
  out->data = ngx_pnalloc(r->pool, len);
  if (out->data == NULL) return NGX_ERROR;
  u_char* p = out->data;
  for (size_t i = 0; i < count; i++) {
    if (i > 0) p = ngx_cpymem(p, separator, separator_len);
    stepup_string name = item(decision, i);
    p = ngx_cpymem(p, name.data, name.size);
  }
  ngx_http_stepup_sanitize(out->data, len);
  return NGX_OK;
}

/* The decision's readings the variables offer, into the request's pool. */
static ngx_int_t ngx_http_stepup_keep(ngx_http_request_t* r, ngx_http_stepup_main_conf_t* mcf,
                                      stepup_decision* decision, ngx_http_stepup_ctx_t* ctx) {
  ctx->status_text.data = ngx_pnalloc(r->pool, NGX_INT_T_LEN);
  if (ctx->status_text.data == NULL) return NGX_ERROR;
  ctx->status_text.len =
      ngx_sprintf(ctx->status_text.data, "%ui", ctx->status) - ctx->status_text.data;
  if (ngx_http_stepup_copy(r, stepup_decision_result(decision), &ctx->result) != NGX_OK ||
      ngx_http_stepup_copy(r, stepup_decision_error(decision), &ctx->error) != NGX_OK ||
      ngx_http_stepup_copy(r, stepup_decision_reason(decision), &ctx->reason) != NGX_OK ||
      ngx_http_stepup_join(r, decision, stepup_decision_rule_depth(decision),
                           stepup_decision_rule_name, " / ", &ctx->rule) != NGX_OK ||
      ngx_http_stepup_join(r, decision, stepup_decision_acr_value_count(decision),
                           stepup_decision_acr_value, " ", &ctx->acr_values) != NGX_OK) {
    return NGX_ERROR;
  }
  int64_t max_age = stepup_decision_max_age(decision);
  ngx_str_null(&ctx->max_age);
  if (max_age >= 0) {
    ctx->max_age.data = ngx_pnalloc(r->pool, NGX_INT64_LEN);
    if (ctx->max_age.data == NULL) return NGX_ERROR;
    ctx->max_age.len = ngx_sprintf(ctx->max_age.data, "%L", max_age) - ctx->max_age.data;
  }
  if (mcf->claims.nelts == 0) return NGX_OK;
  ctx->claims = ngx_pcalloc(r->pool, sizeof(ngx_str_t) * mcf->claims.nelts);
  if (ctx->claims == NULL) return NGX_ERROR;
  ngx_str_t* names = mcf->claims.elts;
  for (ngx_uint_t i = 0; i < mcf->claims.nelts; i++) {
    stepup_string value;
    /* A claim with control bytes is left out, never passed on altered. */
    if (stepup_decision_claim(decision, ngx_http_stepup_string(&names[i]), &value) &&
        !ngx_http_stepup_has_control_bytes(value) &&
        ngx_http_stepup_copy(r, value, &ctx->claims[i]) != NGX_OK) {
      return NGX_ERROR;
    }
  }
  return NGX_OK;
}

static ngx_int_t ngx_http_stepup_add_header(ngx_http_request_t* r, const char* name,
                                            ngx_str_t value, ngx_table_elt_t** slot) {
  ngx_table_elt_t* header = ngx_list_push(&r->headers_out.headers);
  if (header == NULL) return NGX_ERROR;
  header->hash = 1;
#if (nginx_version >= 1023000)
  header->next = NULL;
#endif
  header->key.data = (u_char*)name;
  header->key.len = ngx_strlen(name);
  header->value = value;
  if (slot != NULL) *slot = header;
  return NGX_OK;
}

/* The request's headers, in an array from its pool, for the policy. */
static stepup_header* ngx_http_stepup_headers(ngx_http_request_t* r, size_t* count) {
  size_t total = 0;
  for (ngx_list_part_t* part = &r->headers_in.headers.part; part != NULL; part = part->next) {
    total += part->nelts;
  }
  *count = 0;
  stepup_header* headers = ngx_palloc(r->pool, sizeof(stepup_header) * (total + 1));
  if (headers == NULL) return NULL;
  for (ngx_list_part_t* part = &r->headers_in.headers.part; part != NULL; part = part->next) {
    ngx_table_elt_t* h = part->elts;
    for (ngx_uint_t i = 0; i < part->nelts; i++) {
      headers[*count].name = ngx_http_stepup_string(&h[i].key);
      headers[*count].value = ngx_http_stepup_string(&h[i].value);
      (*count)++;
    }
  }
  return headers;
}

/* The target as nginx routes it (r->uri: escapes decoded, dot segments
 * resolved, rewrites applied), escaped again, with its query; NULL when it
 * is the raw target's path (the common case) or memory ran out (*failed). */
static ngx_str_t* ngx_http_stepup_routed_target(ngx_http_request_t* r, ngx_int_t* failed) {
  size_t raw_path = r->unparsed_uri.len;
  u_char* query = ngx_strlchr(r->unparsed_uri.data, r->unparsed_uri.data + raw_path, '?');
  if (query != NULL) raw_path = query - r->unparsed_uri.data;
  if (r->uri.len == raw_path && ngx_strncmp(r->uri.data, r->unparsed_uri.data, raw_path) == 0) {
    return NULL;
  }
  size_t escapes = ngx_escape_uri(NULL, r->uri.data, r->uri.len, NGX_ESCAPE_URI);
  ngx_str_t* target = ngx_palloc(r->pool, sizeof(ngx_str_t));
  u_char* text = ngx_pnalloc(r->pool, r->uri.len + 2 * escapes + 1 + r->args.len);
  if (target == NULL || text == NULL) {
    *failed = 1;
    return NULL;
  }
  u_char* end = (u_char*)ngx_escape_uri(text, r->uri.data, r->uri.len, NGX_ESCAPE_URI);
  if (r->args.len > 0) {
    *end++ = '?';
    end = ngx_cpymem(end, r->args.data, r->args.len);
  }
  target->data = text;
  target->len = end - text;
  return target;
}

static ngx_int_t ngx_http_stepup_handler(ngx_http_request_t* r) {
  ngx_http_stepup_loc_conf_t* lcf = ngx_http_get_module_loc_conf(r, ngx_http_stepup_module);
  if (!lcf->enable) return NGX_DECLINED;
  ngx_http_stepup_ctx_t* ctx = ngx_http_stepup_get_ctx(r);
  /* An error page for a request already decided is served as it is; any
   * other internal redirect (try_files, rewrite, X-Accel-Redirect) is
   * decided again, on its new URI too. */
  if (ctx != NULL && r->error_page) return NGX_DECLINED;

  ngx_http_stepup_main_conf_t* mcf = ngx_http_get_module_main_conf(r, ngx_http_stepup_module);
  if (ctx == NULL) {
    ctx = ngx_pcalloc(r->pool, sizeof(*ctx));
    ngx_pool_cleanup_t* cleanup = ngx_pool_cleanup_add(r->pool, 0);
    if (ctx == NULL || cleanup == NULL) return NGX_HTTP_INTERNAL_SERVER_ERROR;
    cleanup->handler = ngx_http_stepup_ctx_marker;
    cleanup->data = ctx;
    ngx_http_set_ctx(r, ctx, ngx_http_stepup_module);
  }
  if (mcf->decision == NULL || mcf->routed_decision == NULL) return NGX_HTTP_INTERNAL_SERVER_ERROR;

  stepup_request request;
  ngx_memzero(&request, sizeof(request));
  request.method = ngx_http_stepup_string(&r->method_name);
  request.path = ngx_http_stepup_string(&r->unparsed_uri);
  if (r->headers_in.authorization != NULL) {
    request.has_authorization = 1;
    request.authorization = ngx_http_stepup_string(&r->headers_in.authorization->value);
  }
  request.headers = ngx_http_stepup_headers(r, &request.header_count);
  if (request.headers == NULL) return NGX_HTTP_INTERNAL_SERVER_ERROR;
  request.client_ip = ngx_http_stepup_string(&r->connection->addr_text);

  /* The raw target is what proxy_pass forwards; r->uri is what nginx routes
   * and serves files by. Where they differ (an escaped '/', a rewrite),
   * both are decided and a refusal of either wins. */
  stepup_decision* decision = mcf->decision;
  if (stepup_decide(lcf->policy->engine, &request, decision) == STEPUP_INVALID_ARGUMENT) {
    return NGX_HTTP_INTERNAL_SERVER_ERROR;
  }
  ngx_int_t failed = 0;
  ngx_str_t* routed = ngx_http_stepup_routed_target(r, &failed);
  if (failed) return NGX_HTTP_INTERNAL_SERVER_ERROR;
  if (routed != NULL && stepup_decision_authorized(decision)) {
    request.path = ngx_http_stepup_string(routed);
    if (stepup_decide(lcf->policy->engine, &request, mcf->routed_decision) ==
        STEPUP_INVALID_ARGUMENT) {
      return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
    decision = mcf->routed_decision;
  }
  ctx->status = (ngx_uint_t)stepup_decision_status(decision);
  ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0, "stepup: status %ui", ctx->status);
  if (mcf->variables_used && ngx_http_stepup_keep(r, mcf, decision, ctx) != NGX_OK) {
    return NGX_HTTP_INTERNAL_SERVER_ERROR;
  }
  if (stepup_decision_authorized(decision)) return NGX_OK;

  ngx_str_t challenge;
  if (ngx_http_stepup_copy(r, stepup_decision_www_authenticate(decision), &challenge) != NGX_OK) {
    return NGX_HTTP_INTERNAL_SERVER_ERROR;
  }
  if (challenge.len > 0 && ngx_http_stepup_add_header(r, "WWW-Authenticate", challenge,
                                                      &r->headers_out.www_authenticate) != NGX_OK) {
    return NGX_HTTP_INTERNAL_SERVER_ERROR;
  }
  int64_t retry_after = stepup_decision_retry_after(decision);
  if (retry_after > 0) {
    ngx_str_t seconds;
    seconds.data = ngx_pnalloc(r->pool, NGX_INT64_LEN);
    if (seconds.data == NULL) return NGX_HTTP_INTERNAL_SERVER_ERROR;
    seconds.len = ngx_sprintf(seconds.data, "%L", retry_after) - seconds.data;
    if (ngx_http_stepup_add_header(r, "Retry-After", seconds, NULL) != NGX_OK) {
      return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
  }
  return ctx->status >= 400 && ctx->status <= 599 ? (ngx_int_t)ctx->status
                                                  : NGX_HTTP_INTERNAL_SERVER_ERROR;
}

/* --- variables ---------------------------------------------------------- */

enum { kVarDecision, kVarStatus, kVarError, kVarReason, kVarRule, kVarAcrValues, kVarMaxAge };

/* Never cached: a value read before the access phase must not stick. */
static ngx_int_t ngx_http_stepup_set(ngx_http_variable_value_t* v, ngx_str_t* value) {
  v->no_cacheable = 1;
  if (value == NULL || value->data == NULL) {
    v->not_found = 1;
    return NGX_OK;
  }
  v->len = value->len;
  v->data = value->data;
  v->valid = 1;
  v->not_found = 0;
  return NGX_OK;
}

static ngx_int_t ngx_http_stepup_variable(ngx_http_request_t* r, ngx_http_variable_value_t* v,
                                          uintptr_t data) {
  ngx_http_stepup_ctx_t* ctx = ngx_http_stepup_get_ctx(r->main);
  if (ctx == NULL || ctx->result.data == NULL) return ngx_http_stepup_set(v, NULL);
  switch (data) {
    case kVarDecision:
      return ngx_http_stepup_set(v, &ctx->result);
    case kVarStatus:
      return ngx_http_stepup_set(v, &ctx->status_text);
    case kVarError:
      return ngx_http_stepup_set(v, &ctx->error);
    case kVarReason:
      return ngx_http_stepup_set(v, &ctx->reason);
    case kVarRule:
      return ngx_http_stepup_set(v, &ctx->rule);
    case kVarAcrValues:
      return ngx_http_stepup_set(v, &ctx->acr_values);
    default:
      return ngx_http_stepup_set(v, ctx->max_age.len > 0 ? &ctx->max_age : NULL);
  }
}

/* $stepup_claim_NAME: `data` is the variable's full name. */
static ngx_int_t ngx_http_stepup_claim_variable(ngx_http_request_t* r, ngx_http_variable_value_t* v,
                                                uintptr_t data) {
  ngx_str_t* name = (ngx_str_t*)data;
  ngx_http_stepup_main_conf_t* mcf = ngx_http_get_module_main_conf(r, ngx_http_stepup_module);
  ngx_http_stepup_ctx_t* ctx = ngx_http_stepup_get_ctx(r->main);
  const size_t prefix = sizeof(NGX_HTTP_STEPUP_CLAIM_PREFIX) - 1;
  if (ctx == NULL || ctx->claims == NULL || name->len <= prefix)
    return ngx_http_stepup_set(v, NULL);
  ngx_str_t* claims = mcf->claims.elts;
  for (ngx_uint_t i = 0; i < mcf->claims.nelts; i++) {
    if (claims[i].len == name->len - prefix &&
        ngx_strncmp(claims[i].data, name->data + prefix, claims[i].len) == 0) {
      return ngx_http_stepup_set(v, &ctx->claims[i]);
    }
  }
  return ngx_http_stepup_set(v, NULL);
}

static ngx_http_variable_t ngx_http_stepup_variables[] = {
    {ngx_string("stepup_decision"), NULL, ngx_http_stepup_variable, kVarDecision,
     NGX_HTTP_VAR_NOCACHEABLE, 0},
    {ngx_string("stepup_status"), NULL, ngx_http_stepup_variable, kVarStatus,
     NGX_HTTP_VAR_NOCACHEABLE, 0},
    {ngx_string("stepup_error"), NULL, ngx_http_stepup_variable, kVarError,
     NGX_HTTP_VAR_NOCACHEABLE, 0},
    {ngx_string("stepup_reason"), NULL, ngx_http_stepup_variable, kVarReason,
     NGX_HTTP_VAR_NOCACHEABLE, 0},
    {ngx_string("stepup_rule"), NULL, ngx_http_stepup_variable, kVarRule, NGX_HTTP_VAR_NOCACHEABLE,
     0},
    {ngx_string("stepup_acr_values"), NULL, ngx_http_stepup_variable, kVarAcrValues,
     NGX_HTTP_VAR_NOCACHEABLE, 0},
    {ngx_string("stepup_max_age"), NULL, ngx_http_stepup_variable, kVarMaxAge,
     NGX_HTTP_VAR_NOCACHEABLE, 0},
    {ngx_string(NGX_HTTP_STEPUP_CLAIM_PREFIX), NULL, ngx_http_stepup_claim_variable, 0,
     NGX_HTTP_VAR_PREFIX | NGX_HTTP_VAR_NOCACHEABLE, 0},
    ngx_http_null_variable};

static ngx_int_t ngx_http_stepup_preconfiguration(ngx_conf_t* cf) {
  for (ngx_http_variable_t* v = ngx_http_stepup_variables; v->name.len; v++) {
    ngx_http_variable_t* added = ngx_http_add_variable(cf, &v->name, v->flags);
    if (added == NULL) return NGX_ERROR;
    added->get_handler = v->get_handler;
    added->data = v->data;
  }
  return NGX_OK;
}

static ngx_int_t ngx_http_stepup_postconfiguration(ngx_conf_t* cf) {
  ngx_http_stepup_main_conf_t* mcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_stepup_module);
  /* `nginx -s SIGNAL` reads the configuration too: it loads nothing. */
  if (mcf->policies.nelts == 0 || ngx_process == NGX_PROCESS_SIGNALLER) return NGX_OK;
  if (ngx_http_stepup_collect_claims(cf, mcf) != NGX_OK ||
      ngx_http_stepup_load_policies(cf, mcf) != NGX_OK) {
    return NGX_ERROR;
  }
  ngx_http_core_main_conf_t* cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module);
  ngx_http_handler_pt* handler = ngx_array_push(&cmcf->phases[NGX_HTTP_ACCESS_PHASE].handlers);
  if (handler == NULL) return NGX_ERROR;
  *handler = ngx_http_stepup_handler;
  return NGX_OK;
}

/* --- worker processes --------------------------------------------------- */

static ngx_int_t ngx_http_stepup_init_process(ngx_cycle_t* cycle) {
  if (ngx_process != NGX_PROCESS_WORKER && ngx_process != NGX_PROCESS_SINGLE) return NGX_OK;
  ngx_http_stepup_main_conf_t* mcf =
      ngx_http_cycle_get_module_main_conf(cycle, ngx_http_stepup_module);
  if (mcf == NULL || mcf->policies.nelts == 0) return NGX_OK;
  mcf->decision = stepup_decision_new();
  mcf->routed_decision = stepup_decision_new();
  if (mcf->decision == NULL || mcf->routed_decision == NULL) return NGX_ERROR;

  /* The refresh threads take no signal: nginx's stay with its event loop. */
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &previous);
  ngx_http_stepup_policy_t** policies = mcf->policies.elts;
  for (ngx_uint_t i = 0; i < mcf->policies.nelts; i++) {
    stepup_status status;
    if (stepup_engine_start_key_refresh(policies[i]->engine, &status) != STEPUP_OK) {
      /* Decisions go on with the keys loaded; fresh ones will not come. */
      ngx_log_error(NGX_LOG_ALERT, cycle->log, 0, "stepup_policy \"%V\": %s", &policies[i]->path,
                    status.message);
    }
  }
  pthread_sigmask(SIG_SETMASK, &previous, NULL);

  stepup_engine** engines = ngx_palloc(cycle->pool, sizeof(stepup_engine*) * mcf->policies.nelts);
  if (engines == NULL) return NGX_ERROR;
  for (ngx_uint_t i = 0; i < mcf->policies.nelts; i++)
    engines[i] = policies[i]->engine;
  ngx_http_stepup_metrics_init_worker(cycle, mcf->metrics_zone, engines, mcf->policies.nelts);
  return NGX_OK;
}

static void ngx_http_stepup_exit_process(ngx_cycle_t* cycle) {
  ngx_http_stepup_main_conf_t* mcf =
      ngx_http_cycle_get_module_main_conf(cycle, ngx_http_stepup_module);
  if (mcf == NULL) return;
  ngx_http_stepup_metrics_exit_worker();
  stepup_decision_free(mcf->decision);
  stepup_decision_free(mcf->routed_decision);
  mcf->decision = NULL;
  mcf->routed_decision = NULL;
  /* The engines (and their refresh threads) go with the cycle's pool. */
}
