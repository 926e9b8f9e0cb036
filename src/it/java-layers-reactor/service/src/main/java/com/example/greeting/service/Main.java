package com.example.greeting.service;

import com.example.greeting.lib.Greetings;
import org.apache.commons.lang3.StringUtils;

public final class Main {

    public static void main(String[] args) {
        System.out.println(StringUtils.capitalize(Greetings.to("service")));
    }
}
