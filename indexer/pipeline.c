/* pipeline.c - worker threads that run jobs beside the one writer
 *
 * The writer hands jobs to workers and gets them back in order through a
 * bounded window of slots, so the database sees the same sequence of
 * writes for any number of workers.  Owns the threads, the slots and one
 * docbuilder per worker; never touches the database (see pipeline.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "indexer/pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *
worker_main(void *arg)
{
    pipeline_t *p = arg;
    pthread_mutex_lock(&p->mu);
    docbuilder_t *b = &p->builders[p->next_builder++];
    for (;;) {
        while (p->n_taken == p->n_queued && !p->closing)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->n_taken == p->n_queued)
            break;
        pipeline_slot_t *s = &p->slots[p->n_taken++ % p->window];
        pthread_mutex_unlock(&p->mu);
        job_run(&s->job, b);
        pthread_mutex_lock(&p->mu);
        s->ready = true;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

void
pipeline_stop(pipeline_t *p)
{
    if (p->threads) {
        pthread_mutex_lock(&p->mu);
        p->closing = true;
        pthread_cond_broadcast(&p->work);
        pthread_mutex_unlock(&p->mu);
        for (unsigned i = 0; i < p->n_threads; i++)
            pthread_join(p->threads[i], NULL);
        free(p->threads);
        p->threads = NULL;
    }
    for (unsigned i = 0; i < p->n_builders; i++)
        docbuilder_release(&p->builders[i]);
    free(p->builders);
    for (size_t i = 0; p->slots && i < p->window; i++)
        job_release(&p->slots[i].job);
    free(p->slots);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    memset(p, 0, sizeof *p);
}

int
pipeline_start(pipeline_t *p, const config_t *cfg, const char *folds,
               unsigned workers,
               pipeline_write_fn *write, void *ctx, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    p->write = write;
    p->ctx = ctx;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    p->n_threads = workers;
    p->n_builders = workers ? workers : 1;
    p->window = workers ? 4 * (size_t)workers : 1;
    p->slots = calloc(p->window, sizeof *p->slots);
    p->builders = calloc(p->n_builders, sizeof *p->builders);
    if (!p->slots || !p->builders) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    for (unsigned i = 0; i < p->n_builders; i++) {
        if (docbuilder_init(&p->builders[i], cfg, folds, err,
                            errlen) < 0) {
            p->n_builders = i;
            goto fail;
        }
    }
    if (p->n_threads) {
        p->threads = calloc(p->n_threads, sizeof *p->threads);
        if (!p->threads) {
            snprintf(err, errlen, "out of memory");
            goto fail;
        }
        for (unsigned i = 0; i < p->n_threads; i++) {
            if (pthread_create(&p->threads[i], NULL, worker_main, p) != 0) {
                snprintf(err, errlen, "cannot start worker thread");
                p->n_threads = i;
                goto fail;
            }
        }
    }
    return 0;
fail:
    pipeline_stop(p);
    return -1;
}

/* Write the oldest job, waiting for it to finish. */
static void
write_one(pipeline_t *p)
{
    pipeline_slot_t *s = &p->slots[p->n_written % p->window];
    pthread_mutex_lock(&p->mu);
    while (!s->ready)
        pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
    p->write(p->ctx, &s->job);
    job_release(&s->job);
    pthread_mutex_lock(&p->mu);
    s->ready = false;
    p->n_written++;
    pthread_mutex_unlock(&p->mu);
}

void
pipeline_drain(pipeline_t *p)
{
    while (p->n_written < p->n_queued)
        write_one(p);
}

void
pipeline_push(pipeline_t *p, job_t *j)
{
    if (p->n_queued - p->n_written == p->window)
        write_one(p);
    pipeline_slot_t *s = &p->slots[p->n_queued % p->window];
    pthread_mutex_lock(&p->mu);
    s->job = *j;
    s->ready = false;
    p->n_queued++;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    memset(j, 0, sizeof *j);
    if (p->n_threads == 0) {
        job_run(&s->job, &p->builders[0]);
        p->n_taken++;
        s->ready = true;
        write_one(p);
    }
}
