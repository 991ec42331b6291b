/* Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0. */
/*
 * `stepup_metrics;`: the metrics of every worker's engines, summed, in
 * Prometheus's text format (docs/nginx.md). Each worker publishes its text
 * into a slot of a shared memory zone every second and before it answers a
 * scrape; the answering worker merges all slots.
 */
#ifndef STEPUP_TOOLS_NGINX_NGX_HTTP_STEPUP_METRICS_H_
#define STEPUP_TOOLS_NGINX_NGX_HTTP_STEPUP_METRICS_H_

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "stepup/stepup_c.h"

/* For the directive: the shared zone (tagged with `tag`), NULL on error. */
ngx_shm_zone_t* ngx_http_stepup_metrics_add_zone(ngx_conf_t* cf, void* tag);

/* The content handler of a `stepup_metrics` location. */
ngx_int_t ngx_http_stepup_metrics_handler(ngx_http_request_t* r);

/* In each worker, after its engines are ready: starts publishing theirs
 * into `zone` (the cycle's). `engines` must stay valid until
 * ngx_http_stepup_metrics_exit_worker. */
void ngx_http_stepup_metrics_init_worker(ngx_cycle_t* cycle, ngx_shm_zone_t* zone,
                                         stepup_engine** engines, ngx_uint_t count);
void ngx_http_stepup_metrics_exit_worker(void);

#endif /* STEPUP_TOOLS_NGINX_NGX_HTTP_STEPUP_METRICS_H_ */
