/** Port: the time. Injected everywhere in the application (tests pin it; nothing calls `new Date()` itself). */
export type Clock = () => Date;
