"""OpenTelemetry traces: one trace per device backup, from the API request or the scheduler's slot
through the bus (W3C `traceparent` in the NATS headers), the worker's session, gitkeeper's commit
and the api's recording.

- `provider`: switched on by the standard OTLP endpoint variables, off (and free) otherwise;
  `sdk`, the OpenTelemetry SDK's part, is imported only then;
- `carrier`: the trace context into and out of NATS headers, and the spans around a publish or a
  message handled;
- `batches`: a span per message for the batch consumers, each under its own producer.
"""
