package com.example.bench.a;

/** One of the benchmark's six services; bench/run.sh appends a line to svc-a's to change it. */
public final class ServiceA {

    private ServiceA() {}

    public static void main(String[] args) {
        System.out.println("bench-multi-a is up");
    }
}
