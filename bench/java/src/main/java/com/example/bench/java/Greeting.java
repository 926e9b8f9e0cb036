package com.example.bench.java;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The controller whose string bench/run.sh changes before each run: the one-line change. */
@RestController
public class Greeting {

    @GetMapping("/")
    public String greet() {
        return "hello v1";
    }
}
