export { createTestDatabase, type TestDatabase } from './database.ts'
export { uniqueTopicPrefix, collectEvents, type EventCollector } from './kafka.ts'
export { bearer } from './tokens.ts'
export { waitFor } from './wait.ts'
