package com.example.bench;

/** The benchmark's service; bench/run.sh appends a line to this file to make a one-line change. */
public final class BenchService {

    private BenchService() {}

    public static void main(String[] args) {
        System.out.println("bench-service is up");
    }
}
