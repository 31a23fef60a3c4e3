/** The rule for an event type's name, shared by the catalogue and by every event's `event_type`. */
export const EVENT_TYPE_NAME = /^[A-Za-z0-9_.:-]{1,200}$/;

export const EVENT_TYPE_NAME_RULE = '1-200 letters, digits or . _ : -';
