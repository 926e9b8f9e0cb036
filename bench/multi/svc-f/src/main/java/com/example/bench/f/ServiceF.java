package com.example.bench.f;

/** One of the benchmark's six services; bench/run.sh appends a line to svc-a's to change it. */
public final class ServiceF {

    private ServiceF() {}

    public static void main(String[] args) {
        System.out.println("bench-multi-f is up");
    }
}
