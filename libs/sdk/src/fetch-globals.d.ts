// The generated client names the DOM's global BodyInit; Node's types (lib es2023, no DOM) declare
// fetch's RequestInit globally but not BodyInit, so it is declared here from RequestInit.
type BodyInit = NonNullable<RequestInit['body']>;
