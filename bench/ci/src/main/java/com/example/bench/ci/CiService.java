package com.example.bench.ci;

/** The service of scenario 6 (bench/run.sh); the benchmark appends a line to this file to make a one-line change. */
public final class CiService {

    private CiService() {}

    public static void main(String[] args) {
        System.out.println("bench-ci-service is up");
    }
}
