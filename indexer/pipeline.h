/* pipeline.h - worker threads that run jobs beside the one writer
 *
 * Owns the threads, the per-worker document builders and a bounded window
 * of job slots.  The writer queues jobs in file order; workers run them
 * (job_run(): read, extract, build, nothing shared); the writer gets them
 * back, finished, in the order queued, through its write callback.  The
 * pipeline never touches the database: the callback does, in the
 * writer's thread only.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PIPELINE_H
#define PIPELINE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "indexer/job.h"

/* Called in the writer's thread with each finished job, in queue order;
 * the pipeline releases the job afterwards. */
typedef void pipeline_write_fn(void *ctx, job_t *j);

typedef struct pipeline_slot {
    job_t job;
    bool ready;
} pipeline_slot_t;

/* Owned by the writer that started it, until pipeline_stop(). */
typedef struct pipeline {
    pipeline_write_fn *write;
    void *ctx;
    pthread_mutex_t mu;
    pthread_cond_t work;        /* a job was queued, or closing */
    pthread_cond_t done;        /* a job finished */
    pipeline_slot_t *slots;
    size_t window;
    size_t n_queued, n_taken, n_written;    /* sequence numbers */
    bool closing;
    pthread_t *threads;
    unsigned n_threads;         /* workers; 0: jobs run in the writer */
    docbuilder_t *builders;     /* one per worker, or one inline */
    unsigned n_builders;
    unsigned next_builder;      /* handed out to starting threads */
} pipeline_t;

/* Start P with WORKERS threads (0: each job runs in the writer as it is
 * queued), building documents for CFG with synonym FOLDS (both borrowed
 * until pipeline_stop(); see docbuilder_init()),
 * handing finished jobs to WRITE(CTX, job).  Returns 0, or -1 with the
 * reason in ERR (P stopped). */
int pipeline_start(pipeline_t *p, const config_t *cfg, const char *folds,
                   unsigned workers,
                   pipeline_write_fn *write, void *ctx, char *err,
                   size_t errlen);

/* Queue job J (moved into the pipeline; *J is zeroed), first writing the
 * oldest job if the window is full. */
void pipeline_push(pipeline_t *p, job_t *j);

/* Write every queued job, waiting for each. */
void pipeline_drain(pipeline_t *p);

/* Stop the workers and free everything; jobs not written are dropped.
 * Accepts a pipeline that failed to start. */
void pipeline_stop(pipeline_t *p);

#endif /* PIPELINE_H */
