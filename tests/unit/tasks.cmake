# tasks unit tests
