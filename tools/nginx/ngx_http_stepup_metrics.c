/* Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0. */
#include "ngx_http_stepup_metrics.h"

#define NGX_HTTP_STEPUP_METRICS_SLOTS 32
#define NGX_HTTP_STEPUP_METRICS_TEXT (32 * 1024)

/* One worker's text. `version` is odd while its owner writes (a seqlock). */
typedef struct {
  ngx_atomic_t version;
  size_t size;
  u_char text[NGX_HTTP_STEPUP_METRICS_TEXT];
} ngx_http_stepup_metrics_slot_t;

typedef struct {
  /* Moves at every configuration load: workers of an older one stop
   * publishing, since their slots now belong to the new workers. */
  ngx_atomic_t generation;
  ngx_http_stepup_metrics_slot_t slots[NGX_HTTP_STEPUP_METRICS_SLOTS];
} ngx_http_stepup_metrics_zone_t;

/* This worker's view: the cycle's zone and the worker's engines. */
static ngx_http_stepup_metrics_zone_t* ngx_http_stepup_metrics_worker_zone;
static ngx_atomic_uint_t ngx_http_stepup_metrics_generation;
static stepup_engine** ngx_http_stepup_metrics_engines;
static ngx_uint_t ngx_http_stepup_metrics_engine_count;
static ngx_event_t ngx_http_stepup_metrics_timer;
static ngx_connection_t ngx_http_stepup_metrics_timer_connection;

static ngx_int_t ngx_http_stepup_metrics_init_zone(ngx_shm_zone_t* shm_zone, void* data) {
  ngx_http_stepup_metrics_zone_t* zone = data;
  if (zone != NULL) { /* A reload: new engines, counted from zero. */
    for (ngx_uint_t i = 0; i < NGX_HTTP_STEPUP_METRICS_SLOTS; i++)
      zone->slots[i].size = 0;
    ngx_atomic_fetch_add(&zone->generation, 1);
    shm_zone->data = zone;
    return NGX_OK;
  }
  ngx_slab_pool_t* pool = (ngx_slab_pool_t*)shm_zone->shm.addr;
  zone = ngx_slab_calloc(pool, sizeof(ngx_http_stepup_metrics_zone_t));
  if (zone == NULL) return NGX_ERROR;
  zone->generation = 1;
  shm_zone->data = zone;
  return NGX_OK;
}

ngx_shm_zone_t* ngx_http_stepup_metrics_add_zone(ngx_conf_t* cf, void* tag) {
  static ngx_str_t name = ngx_string("stepup_metrics");
  ngx_shm_zone_t* shm_zone =
      ngx_shared_memory_add(cf, &name, sizeof(ngx_http_stepup_metrics_zone_t) + 64 * 1024, tag);
  if (shm_zone != NULL) shm_zone->init = ngx_http_stepup_metrics_init_zone;
  return shm_zone;
}

/* This worker's engines' texts, merged when there are several, into a
 * buffer from malloc (the caller frees it). NULL when memory ran out. */
static u_char* ngx_http_stepup_metrics_render(size_t* size) {
  ngx_uint_t count = ngx_http_stepup_metrics_engine_count;
  stepup_string* texts = ngx_calloc(sizeof(stepup_string) * (count + 1), ngx_cycle->log);
  if (texts == NULL) return NULL;
  u_char* merged = NULL;
  for (ngx_uint_t i = 0; i < count; i++) {
    size_t length = stepup_engine_metrics_text(ngx_http_stepup_metrics_engines[i], NULL, 0);
    char* text = ngx_alloc(length + 1, ngx_cycle->log);
    if (text == NULL) goto done;
    texts[i].size = stepup_engine_metrics_text(ngx_http_stepup_metrics_engines[i], text, length);
    texts[i].data = text;
    if (texts[i].size > length)
      texts[i].size = length; /* Grew meanwhile: the start is still lines. */
  }
  *size = stepup_metrics_merge(texts, count, NULL, 0);
  merged = ngx_alloc(*size + 1, ngx_cycle->log);
  if (merged != NULL)
    *size = ngx_min(*size, stepup_metrics_merge(texts, count, (char*)merged, *size));
done:
  for (ngx_uint_t i = 0; i < count; i++)
    ngx_free((void*)texts[i].data);
  ngx_free(texts);
  return merged;
}

/* Writes this worker's text into its slot (unless a newer configuration's
 * workers own the slots now). */
static void ngx_http_stepup_metrics_publish(void) {
  ngx_http_stepup_metrics_zone_t* zone = ngx_http_stepup_metrics_worker_zone;
  if (zone == NULL || ngx_worker >= NGX_HTTP_STEPUP_METRICS_SLOTS ||
      zone->generation != ngx_http_stepup_metrics_generation) {
    return;
  }
  size_t size = 0;
  u_char* text = ngx_http_stepup_metrics_render(&size);
  if (text == NULL) return;
  ngx_http_stepup_metrics_slot_t* slot = &zone->slots[ngx_worker];
  if (size > NGX_HTTP_STEPUP_METRICS_TEXT) {
    ngx_log_error(NGX_LOG_WARN, ngx_cycle->log, 0,
                  "stepup_metrics: this worker's metrics (%uz bytes) exceed a slot (%d bytes)",
                  size, NGX_HTTP_STEPUP_METRICS_TEXT);
    size = 0;
  }
  ngx_atomic_fetch_add(&slot->version, 1);
  ngx_memory_barrier();
  ngx_memcpy(slot->text, text, size);
  slot->size = size;
  ngx_memory_barrier();
  ngx_atomic_fetch_add(&slot->version, 1);
  ngx_free(text);
}

static void ngx_http_stepup_metrics_on_timer(ngx_event_t* event) {
  ngx_http_stepup_metrics_publish();
  if (!ngx_exiting && !ngx_terminate && !ngx_quit) ngx_add_timer(event, 1000);
}

void ngx_http_stepup_metrics_init_worker(ngx_cycle_t* cycle, ngx_shm_zone_t* shm_zone,
                                         stepup_engine** engines, ngx_uint_t count) {
  if (shm_zone == NULL || shm_zone->data == NULL) return;
  ngx_http_stepup_metrics_worker_zone = shm_zone->data;
  ngx_http_stepup_metrics_generation = ngx_http_stepup_metrics_worker_zone->generation;
  ngx_http_stepup_metrics_engines = engines;
  ngx_http_stepup_metrics_engine_count = count;
  if (ngx_worker >= NGX_HTTP_STEPUP_METRICS_SLOTS) {
    ngx_log_error(NGX_LOG_WARN, cycle->log, 0,
                  "stepup_metrics: worker %ui has no slot (at most %d workers are counted)",
                  ngx_worker, NGX_HTTP_STEPUP_METRICS_SLOTS);
    return;
  }
  ngx_http_stepup_metrics_timer_connection.fd = (ngx_socket_t)-1;
  ngx_http_stepup_metrics_timer.handler = ngx_http_stepup_metrics_on_timer;
  ngx_http_stepup_metrics_timer.log = cycle->log;
  ngx_http_stepup_metrics_timer.data = &ngx_http_stepup_metrics_timer_connection;
  ngx_http_stepup_metrics_timer.cancelable = 1; /* It does not hold a graceful exit. */
  ngx_http_stepup_metrics_publish();
  ngx_add_timer(&ngx_http_stepup_metrics_timer, 1000);
}

void ngx_http_stepup_metrics_exit_worker(void) {
  ngx_http_stepup_metrics_engines = NULL;
  ngx_http_stepup_metrics_engine_count = 0;
  ngx_http_stepup_metrics_worker_zone = NULL;
}

/* A consistent copy of `slot`'s text into `out`; its size (0: none). */
static size_t ngx_http_stepup_metrics_read(ngx_http_stepup_metrics_slot_t* slot, u_char* out) {
  for (int attempt = 0; attempt < 100; attempt++) {
    ngx_atomic_uint_t before = slot->version;
    if (before & 1) {
      ngx_cpu_pause();
      continue;
    }
    ngx_memory_barrier();
    size_t size = ngx_min(slot->size, (size_t)NGX_HTTP_STEPUP_METRICS_TEXT);
    ngx_memcpy(out, slot->text, size);
    ngx_memory_barrier();
    if (slot->version == before) return size;
  }
  return 0;
}

ngx_int_t ngx_http_stepup_metrics_handler(ngx_http_request_t* r) {
  if (!(r->method & (NGX_HTTP_GET | NGX_HTTP_HEAD))) return NGX_HTTP_NOT_ALLOWED;
  if (ngx_http_discard_request_body(r) != NGX_OK) return NGX_HTTP_INTERNAL_SERVER_ERROR;
  ngx_http_stepup_metrics_zone_t* zone = ngx_http_stepup_metrics_worker_zone;
  if (zone == NULL) return NGX_HTTP_SERVICE_UNAVAILABLE;
  ngx_http_stepup_metrics_publish(); /* This worker's own counts, fresh. */

  stepup_string texts[NGX_HTTP_STEPUP_METRICS_SLOTS];
  ngx_uint_t count = 0;
  for (ngx_uint_t i = 0; i < NGX_HTTP_STEPUP_METRICS_SLOTS; i++) {
    if (zone->slots[i].size == 0) continue;
    u_char* copy = ngx_pnalloc(r->pool, NGX_HTTP_STEPUP_METRICS_TEXT);
    if (copy == NULL) return NGX_HTTP_INTERNAL_SERVER_ERROR;
    size_t size = ngx_http_stepup_metrics_read(&zone->slots[i], copy);
    if (size == 0) continue;
    texts[count].data = (const char*)copy;
    texts[count].size = size;
    count++;
  }
  size_t size = stepup_metrics_merge(texts, count, NULL, 0);
  u_char* body = ngx_pnalloc(r->pool, size + 1);
  if (body == NULL) return NGX_HTTP_INTERNAL_SERVER_ERROR;
  size = ngx_min(size, stepup_metrics_merge(texts, count, (char*)body, size));

  r->headers_out.status = NGX_HTTP_OK;
  r->headers_out.content_length_n = size;
  ngx_str_set(&r->headers_out.content_type, "text/plain; version=0.0.4; charset=utf-8");
  r->headers_out.content_type_len = r->headers_out.content_type.len;
  ngx_int_t rc = ngx_http_send_header(r);
  if (rc == NGX_ERROR || rc > NGX_OK || r->header_only || size == 0) return rc;
  ngx_buf_t* buffer = ngx_calloc_buf(r->pool);
  if (buffer == NULL) return NGX_HTTP_INTERNAL_SERVER_ERROR;
  buffer->pos = body;
  buffer->last = body + size;
  buffer->memory = 1;
  buffer->last_buf = (r == r->main) ? 1 : 0;
  buffer->last_in_chain = 1;
  ngx_chain_t out = {buffer, NULL};
  return ngx_http_output_filter(r, &out);
}
