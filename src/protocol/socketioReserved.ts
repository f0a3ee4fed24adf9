/**
 * Event names an EVENT packet may not carry (socket.io-parser's RESERVED_EVENTS): the library fires
 * them itself. Note what is absent: `ping`, `reconnect`, `join`, `leave` are ordinary names here; in v4
 * the heartbeat is the Engine.IO packets 2/3, reconnection belongs to the Manager, and join/leave are
 * server methods (socket.join(room)), none of them Socket.IO packets.
 */
export const SIO_RESERVED_EVENTS = [
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
] as const;
