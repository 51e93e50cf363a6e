//! The Worker shell: the only crate that talks to the Workers runtime. It turns the
//! Request into `desk::Request`, reads the clock once, hands the core its platform
//! (KV, send_email, fetch, the rate limiters, secrets, randomness, the console) and
//! copies the core's answer into a Response. No decisions live here.

#[cfg(target_arch = "wasm32")]
mod platform;

#[cfg(target_arch = "wasm32")]
mod entry {
    use desk::time::Timestamp;
    use futures_util::StreamExt;
    use worker::{
        event, Context, Env, Headers, Request, Response, ScheduleContext, ScheduledEvent,
    };

    use crate::platform::Platform;

    #[event(fetch)]
    async fn fetch(mut req: Request, env: Env, ctx: Context) -> worker::Result<Response> {
        let url = req.url()?;
        let now = Timestamp(worker::Date::now().as_millis());
        let headers = req.headers().entries().collect();
        let request = desk::Request {
            method: req.method().to_string(),
            origin: url.origin().ascii_serialization(),
            path: url.path().to_owned(),
            query: url.query().unwrap_or("").to_owned(),
            headers,
            body: read_body(&mut req, &ctx, desk::body_limit(url.path())).await,
        };
        let platform = Platform::new(&env);
        let (reply, followups) = desk::respond(&platform.app(), &request, now).await;
        // What the answer does not wait for (the mail of a stored request) runs
        // after it; it is queued in KV already, so the cron covers a Worker that
        // stops before it is done.
        if !followups.is_empty() {
            let env = env.clone();
            ctx.wait_until(async move {
                desk::follow_up(&Platform::new(&env).app(), followups, now).await;
            });
        }
        let headers = Headers::new();
        for (name, value) in &reply.headers {
            headers.set(name, value)?;
        }
        let response = match reply.body {
            Some(body) => Response::ok(body)?,
            None => Response::empty()?,
        };
        Ok(response.with_status(reply.status).with_headers(headers))
    }

    /// Cron, at the event's scheduled time (tests choose it).
    #[event(scheduled)]
    async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
        let now = Timestamp(event.schedule() as u64);
        desk::scheduled(&Platform::new(&env).app(), now).await;
    }

    /// How much of a body over the cap is still read, and thrown away, after the 413.
    const DRAIN_BYTES: usize = 4 << 20;

    /// At most `cap` bytes (`desk::body_limit`: `MAX_BODY_BYTES`, more for the
    /// owner's order-export upload), counted while reading, so a body without (or
    /// with a lying) `Content-Length` is cut off too. A body declared too large is
    /// not read at all (the core answers 413 from the header, as it always did).
    async fn read_body(req: &mut Request, ctx: &Context, cap: usize) -> desk::Body {
        let declared = req.headers().get("Content-Length").ok().flatten();
        let declared_length = declared
            .as_deref()
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared_length.is_some_and(|length| length > cap as u64) {
            return desk::Body::TooLarge;
        }
        let mut body = Vec::new();
        let Ok(mut stream) = req.stream() else {
            return desk::Body::Complete(body);
        };
        while let Some(chunk) = stream.next().await {
            match chunk {
                Ok(chunk) if body.len() + chunk.len() > cap => {
                    discard_rest(stream, ctx);
                    return desk::Body::TooLarge;
                }
                Ok(chunk) => body.extend_from_slice(&chunk),
                Err(error) => return desk::Body::Broken(error.to_string()),
            }
        }
        desk::Body::Complete(body)
    }

    /// Reads what is left of a refused body after the answer (up to `DRAIN_BYTES`),
    /// rather than cancelling it: a cancelled body makes workerd drop the
    /// connection under the 413, and whoever is still sending (a client, wrangler
    /// dev's proxy) then gets no answer or a 500 instead of it.
    fn discard_rest(mut stream: worker::ByteStream, ctx: &Context) {
        ctx.wait_until(async move {
            let mut drained = 0;
            while let Some(Ok(chunk)) = stream.next().await {
                drained += chunk.len();
                if drained > DRAIN_BYTES {
                    break;
                }
            }
        });
    }
}
