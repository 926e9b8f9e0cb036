package com.example.bench.e;

/** One of the benchmark's six services; bench/run.sh appends a line to svc-a's to change it. */
public final class ServiceE {

    private ServiceE() {}

    public static void main(String[] args) {
        System.out.println("bench-multi-e is up");
    }
}
