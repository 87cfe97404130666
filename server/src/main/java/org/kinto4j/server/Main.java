package org.kinto4j.server;
public final class Main { public static void main(String[] args) { } }
