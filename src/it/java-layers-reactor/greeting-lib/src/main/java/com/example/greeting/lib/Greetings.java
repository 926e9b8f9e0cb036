package com.example.greeting.lib;

public final class Greetings {

    private Greetings() {}

    public static String to(String name) {
        return "hello " + name + " from the library";
    }
}
